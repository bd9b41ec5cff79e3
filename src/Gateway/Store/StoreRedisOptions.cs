namespace Gateway.Store;

public sealed class StoreRedisOptions
{
    /// <summary>StackExchange.Redis configuration string, for example <c>redis:6379</c>; empty means the memory store.</summary>
    public string ConnectionString { get; init; } = "";
}
