namespace Gateway.RateLimiting;

/// <summary>The <c>RateLimiting</c> section: named policies that routes attach with <c>RateLimiterPolicy</c>.</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>
    /// <c>memory</c> (per gateway instance), <c>redis</c> (shared by every replica) or empty: redis when the gateway's
    /// store is (<c>Store:Redis:ConnectionString</c>), else memory.
    /// </summary>
    public string Store { get; init; } = "";

    public RedisStoreOptions Redis { get; init; } = new();

    /// <summary>Whether counters live in Redis, given the gateway store's connection string (empty for the memory store).</summary>
    public bool IsShared(string storeConnectionString) =>
        string.Equals(Store, "redis", StringComparison.OrdinalIgnoreCase) || (string.IsNullOrEmpty(Store) && storeConnectionString.Length > 0);

    public Dictionary<string, RateLimitPolicyOptions> Policies { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
