namespace Gateway.Store;

/// <summary>
/// The few operations cluster-wide state needs. Every operation throws <see cref="StoreUnavailableException"/> when
/// the store cannot be reached; the memory store never does.
/// </summary>
public interface ISharedStore
{
    /// <summary><c>memory</c> or <c>redis</c>.</summary>
    string Kind { get; }

    bool IsShared { get; }

    /// <summary>Null while reachable; else since when and why not.</summary>
    StoreOutage? Outage { get; }

    Task<string?> GetAsync(string key);

    Task SetAsync(string key, string value);

    /// <summary>Sets the value only if the key has none (Redis SET NX).</summary>
    Task SetIfAbsentAsync(string key, string value);

    /// <summary>Puts a value first in a list and keeps only the newest <paramref name="keep"/>.</summary>
    Task PushCappedAsync(string key, string value, int keep);

    /// <summary>The newest <paramref name="count"/> values of a list, newest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(string key, int count);

    Task SetFieldAsync(string key, string field, string value);

    Task<IReadOnlyDictionary<string, string>> FieldsAsync(string key);

    Task RemoveFieldAsync(string key, string field);

    /// <summary>Tells every replica (this one too) that shared state changed.</summary>
    Task PublishChangeAsync(string what);

    /// <summary>Makes sure <see cref="Changed"/> hears other replicas (subscribes once); nothing to do in one process.</summary>
    Task EnsureSubscribedAsync();

    /// <summary>Raised when any replica published a change.</summary>
    event Action? Changed;
}
