using System.Threading.RateLimiting;

namespace Gateway.Overload;

/// <summary>A limit in force: System.Threading.RateLimiting's ConcurrencyLimiter, its settings, and what it is for.</summary>
internal sealed class ConcurrencyLimit(string scope, string? cluster, ConcurrencyLimitOptions settings)
{
    public string Scope { get; } = scope;

    /// <summary>The cluster id, or null for the gateway-wide limit.</summary>
    public string? Cluster { get; } = cluster;

    public ConcurrencyLimitOptions Settings { get; } = settings;

    public ConcurrencyLimiter Limiter { get; } = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = settings.PermitLimit,
        QueueLimit = settings.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>A permit at once when one is free (no allocation, no async), else a wait in the queue of at most QueueTimeout.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken requestAborted)
    {
        var lease = Limiter.AttemptAcquire();
        if (lease.IsAcquired || Settings.QueueLimit == 0)
        {
            return lease;
        }

        lease.Dispose();
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        waiting.CancelAfter(Settings.QueueTimeout);
        try
        {
            return await Limiter.AcquireAsync(1, waiting.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return Refused.Instance;
        }
    }

    /// <summary>The lease of a request that waited out QueueTimeout.</summary>
    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
