using System.Collections.Concurrent;

namespace Gateway.Store;

/// <summary>The store of a single gateway: this process's memory, never unreachable, gone at restart.</summary>
internal sealed class MemoryStore : ISharedStore
{
    private readonly ConcurrentDictionary<string, string> _values = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _hashes = new();
    private readonly ConcurrentDictionary<string, List<string>> _lists = new();

    public string Kind => "memory";

    public bool IsShared => false;

    public StoreOutage? Outage => null;

    public event Action? Changed;

    public Task<string?> GetAsync(string key) => Task.FromResult(_values.GetValueOrDefault(key));

    public Task SetAsync(string key, string value)
    {
        _values[key] = value;
        return Task.CompletedTask;
    }

    public Task SetIfAbsentAsync(string key, string value)
    {
        _values.TryAdd(key, value);
        return Task.CompletedTask;
    }

    public Task PushCappedAsync(string key, string value, int keep)
    {
        var list = _lists.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.Insert(0, value);
            if (list.Count > keep)
            {
                list.RemoveRange(keep, list.Count - keep);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(string key, int count)
    {
        if (!_lists.TryGetValue(key, out var list))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<string>>(list.Take(count).ToList());
        }
    }

    public Task SetFieldAsync(string key, string field, string value)
    {
        _hashes.GetOrAdd(key, _ => new())[field] = value;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string>> FieldsAsync(string key) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(_hashes.TryGetValue(key, out var hash) ? new Dictionary<string, string>(hash) : []);

    public Task RemoveFieldAsync(string key, string field)
    {
        if (_hashes.TryGetValue(key, out var hash))
        {
            hash.TryRemove(field, out _);
        }

        return Task.CompletedTask;
    }

    public Task EnsureSubscribedAsync() => Task.CompletedTask;

    public Task PublishChangeAsync(string what)
    {
        Changed?.Invoke();
        return Task.CompletedTask;
    }
}
