namespace Gateway.RateLimiting;

public sealed class RedisStoreOptions
{
    /// <summary>StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>; empty: the gateway store's (<c>Store:Redis</c>).</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>
    /// When Redis cannot be reached, for policies without a FailOpen of their own: count each client on this replica
    /// alone (true, the default) or answer 503 (false).
    /// </summary>
    public bool FailOpen { get; init; } = true;
}
