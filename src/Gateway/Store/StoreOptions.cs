namespace Gateway.Store;

/// <summary>
/// The <c>Store</c> section: where what must be cluster-wide lives (admin changes, the audit, each replica's counts,
/// shared rate limits). Read at start. Without a Redis connection string the store is this process's memory.
/// </summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    public StoreRedisOptions Redis { get; init; } = new();

    /// <summary>How often each replica re-reads the shared state and publishes its counts (publish/subscribe is the fast path).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The secret every value kept in Redis is tagged with (HMAC-SHA256), so a value written by anyone else is refused.
    /// Required with Redis; the same on every replica; never in Redis.
    /// </summary>
    public string IntegrityKey { get; init; } = "";
}
