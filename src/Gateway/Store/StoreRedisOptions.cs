namespace Gateway.Store;

public sealed class StoreRedisOptions
{
    public const string DefaultKeyPrefix = "gateway:";

    /// <summary>StackExchange.Redis configuration string, for example <c>redis:6379</c>; empty means the memory store.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>
    /// What every key the gateway writes starts with (the shared store's, the output cache's, the rate limiter's), so
    /// gateways with their own prefixes share one Redis without sharing state, and an ACL can grant just these keys.
    /// </summary>
    public string KeyPrefix { get; init; } = DefaultKeyPrefix;
}
