namespace Gateway.Utilities;

/// <summary>
/// Every event id the gateway logs with, in one list so that none is used twice and a log query can rely on them
/// (as YARP's Utilities/EventIds.cs). Thousands by folder: 1 configuration, 2 forwarding, 3 rate limiting, 4 access log, 5 shared store, 6 caching, 7 admin, 8 hosting.
/// </summary>
internal static class EventIds
{
    public const int ConfigApplied = 1001;
    public const int ConfigRejected = 1002;
    public const int RoutesRefusedByYarp = 1003;
    public const int UpstreamFailureAnswered = 2001;
    public const int UpstreamFailureUnanswered = 2002;
    public const int RateLimitStoreDown = 3001;
    public const int AccessLogLine = 4001;
    public const int StoreUnreachable = 5001;
    public const int StoreReachable = 5002;
    public const int StoreReconcileFailed = 5003;
    public const int ReplicaCountsUnreadable = 5004;
    public const int AuditNotKept = 5005;
    public const int StoreEntryRefused = 5006;
    public const int CacheEvicted = 6001;
    public const int CacheEvictionFailed = 6002;
    public const int CacheStoreUnreachable = 6003;
    public const int CacheStoreReachable = 6004;
    public const int CacheEvictedLate = 6005;
    public const int AdminKeyGuessing = 7001;
    public const int DemoMode = 8001;
    public const int CertificateLoaded = 8002;
    public const int CertificateRejected = 8003;
    public const int CertificateSelfSigned = 8004;
}
