using System.Threading.RateLimiting;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;

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

    /// <summary>
    /// A permit at once when one is free (no allocation, no async), else after a wait in the queue of at most
    /// QueueTimeout; null when refused. Given back when disposed, or when the request upgrades (101).
    /// </summary>
    public async ValueTask<IDisposable?> AcquirePermitAsync(HttpContext context)
    {
        var lease = Limiter.AttemptAcquire();
        if (!lease.IsAcquired && Settings.QueueLimit > 0)
        {
            lease.Dispose();
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            waiting.CancelAfter(Settings.QueueTimeout);
            try
            {
                lease = await Limiter.AcquireAsync(1, waiting.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                return null; // Waited out QueueTimeout.
            }
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return null;
        }

        return UpgradeRelease.Guard(context, lease);
    }
}
