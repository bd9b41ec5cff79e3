namespace Gateway.Configuration;

/// <summary>Outcome of the latest load of the route file, for health checks, logs and (later) metrics.</summary>
public sealed class ConfigReloadStatus
{
    private ConfigLoadAttempt? _last;
    private long _applied;
    private long _rejected;

    public ConfigLoadAttempt? Last => Volatile.Read(ref _last);

    public long Applied => Interlocked.Read(ref _applied);

    public long Rejected => Interlocked.Read(ref _rejected);

    internal void RecordApplied(DateTimeOffset at)
    {
        Interlocked.Increment(ref _applied);
        Volatile.Write(ref _last, new ConfigLoadAttempt(at, true, []));
    }

    internal void RecordRejected(DateTimeOffset at, IReadOnlyList<string> errors)
    {
        Interlocked.Increment(ref _rejected);
        Volatile.Write(ref _last, new ConfigLoadAttempt(at, false, errors));
    }
}
