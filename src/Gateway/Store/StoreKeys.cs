namespace Gateway.Store;

/// <summary>
/// Every key the gateway keeps in the shared store, in one list, after <c>Store:Redis:KeyPrefix</c> (<c>gateway:</c>
/// unless set). Beside them, under the same prefix: the output cache's <c>cache:*</c> and the rate limiter's
/// <c>ratelimit:*</c> (inside the RedisRateLimiting package's <c>rl:&lt;kind&gt;:{…}</c>).
/// </summary>
public static class StoreKeys
{
    public const string ChangeChannel = "changes";
    public const string MaintenanceOverride = "maintenance:override";
    public const string Audit = "audit";
    public const string ReplicaCounts = "replicas";
    public const string ReplicaHistory = "replicas:history";

    /// <summary>The label a rejected entry of this key is counted under (a fixed set: <see cref="StoreRejections.Kinds"/>).</summary>
    public static string KindOf(string key) => key switch
    {
        MaintenanceOverride => "maintenance",
        Audit => "audit",
        ReplicaCounts or ReplicaHistory => "replicas",
        _ => "other",
    };
}
