using System.Threading.RateLimiting;

namespace Gateway.RateLimiting;

/// <summary>
/// One client's limiter inside a policy, counted while it exists. The partitioned limiter (System.Threading.RateLimiting)
/// creates a partition on a client's first request and disposes it from its 100 ms heartbeat once the limiter reports
/// itself idle for more than 10 s (RedisRateLimiting's limiters too, since 1.2); its partition table cannot be read, so
/// the count is kept here. Replenishment passes through: the heartbeat replenishes only a <see cref="ReplenishingRateLimiter"/>.
/// </summary>
internal sealed class CountedPartition : ReplenishingRateLimiter
{
    private readonly RateLimiter _inner;
    private readonly PartitionCount _count;
    private int _disposed;

    public CountedPartition(RateLimiter inner, PartitionCount count)
    {
        _inner = inner;
        _count = count;
        count.Opened();
    }

    public override TimeSpan? IdleDuration => _inner.IdleDuration;

    /// <summary>A limiter that does not replenish (concurrency, Redis) needs no calls: as if it replenished itself.</summary>
    public override bool IsAutoReplenishing => _inner is not ReplenishingRateLimiter replenishing || replenishing.IsAutoReplenishing;

    public override TimeSpan ReplenishmentPeriod => (_inner as ReplenishingRateLimiter)?.ReplenishmentPeriod ?? TimeSpan.Zero;

    public override bool TryReplenish() => _inner is ReplenishingRateLimiter replenishing && replenishing.TryReplenish();

    public override RateLimiterStatistics? GetStatistics() => _inner.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => _inner.AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        _inner.AcquireAsync(permitCount, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _count.Closed();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _count.Closed();
            await _inner.DisposeAsync();
        }

        await base.DisposeAsyncCore();
    }
}
