using System.Collections.Concurrent;

namespace Samples.UsersApi.Jobs;

internal sealed record Job(int Id, string State);

/// <summary>Jobs "finish" a fixed time after creation; state is derived from the clock, so no worker is needed.</summary>
internal sealed class JobStore(TimeProvider time)
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<int, DateTimeOffset> _createdAt = new();
    private int _lastId;

    public Job Create()
    {
        var id = Interlocked.Increment(ref _lastId);
        _createdAt[id] = time.GetUtcNow();
        return new Job(id, "queued");
    }

    public Job? Find(int id) =>
        _createdAt.TryGetValue(id, out var createdAt)
            ? new Job(id, time.GetUtcNow() - createdAt >= Duration ? "done" : "queued")
            : null;
}
