using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Store;
using Gateway.Utilities;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Gateway.RateLimiting;

/// <summary>
/// One named policy in force: a partitioned limiter from System.Threading.RateLimiting (in memory) or
/// from RedisRateLimiting (shared), one partition per client and policy. A shared policy also has an in-memory
/// limiter with the same limits, used while its Redis is away when the policy fails open.
/// </summary>
internal sealed class RateLimitPolicy : IAsyncDisposable
{
    // RedisRateLimiting's concurrency script writes "rl:cc:{key}" and "rl:cc:{key}:stats" with no expiry, and counts
    // a permit older than 60 s as returned: both keys are given that lifetime after each acquire, so a client that
    // stops coming leaves nothing in Redis (pinned by RedisRateLimitingTests).
    private static readonly TimeSpan ConcurrencyKeyLifetime = TimeSpan.FromSeconds(61);

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly PartitionedRateLimiter<string> _local;
    private readonly PartitionCount _partitions = new();
    private readonly Func<IConnectionMultiplexer>? _concurrencyRedis;
    private readonly string _keyPrefix;

    // 1 while this policy's store is known to be down: one warning per outage, not one per request.
    private int _storeDown;

    /// <param name="redisConnectionString">Null: in memory; else shared through the process's connection to that Redis.</param>
    /// <param name="storeKeyPrefix">Store:Redis:KeyPrefix, which the policy's Redis keys start with.</param>
    public RateLimitPolicy(
        string name, RateLimitPolicyOptions settings, string? redisConnectionString, RedisConnections connections, string storeKeyPrefix = StoreRedisOptions.DefaultKeyPrefix)
    {
        Name = name;
        Settings = settings;
        ConnectionString = redisConnectionString;
        Func<IConnectionMultiplexer>? redis = redisConnectionString is null ? null : () => connections.Get(redisConnectionString);
        _keyPrefix = $"{storeKeyPrefix}ratelimit:{name}:";
        var (quota, window) = settings.Shape();
        PolicyHeader = window > 0
            ? string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={quota};w={window}")
            : string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={quota}");
        // In memory the limiter is this policy's own, so the client alone keys it, and the partition's factory is made
        // once: PartitionedRateLimiter asks for the partition on every acquire. Redis keys are shared: they carry the policy.
        // Each partition is counted while it exists (the partition gauge); the framework reclaims idle ones. A shared
        // policy's local limiter serves while its Redis is away (fail open).
        var local = Counted(LocalLimiterFactory(settings));
        _local = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.Get(client, local));
        _limiter = redis is null
            ? _local
            : PartitionedRateLimiter.Create<string, string>(client => SharedPartition(_keyPrefix + client, settings, redis, _partitions));
        _concurrencyRedis = settings.Kind == RateLimitKind.Concurrency ? redis : null;
    }

    public string Name { get; }

    public RateLimitPolicyOptions Settings { get; }

    public bool IsShared => ConnectionString is not null;

    public string? ConnectionString { get; }

    /// <summary>Only a concurrency permit is given back when the request ends; other leases can be released at once.</summary>
    public bool HoldsPermitWhileRunning => Settings.Kind == RateLimitKind.Concurrency;

    /// <summary>The RateLimit-Policy header value (IETF httpapi rate-limit headers draft), built once.</summary>
    public string PolicyHeader { get; }

    /// <summary>Client partitions this policy's limiter holds now (idle ones are disposed by the framework's heartbeat).</summary>
    public int Partitions => _partitions.Value;

    public ValueTask<RateLimitLease> AcquireAsync(string client, CancellationToken cancellationToken) =>
        _concurrencyRedis is null ? _limiter.AcquireAsync(client, 1, cancellationToken) : AcquireThenExpireAsync(client, cancellationToken);

    private async ValueTask<RateLimitLease> AcquireThenExpireAsync(string client, CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync(client, 1, cancellationToken);
        try
        {
            var database = _concurrencyRedis!().GetDatabase();
            var key = $"rl:cc:{{{_keyPrefix}{client}}}";
            database.KeyExpire(key, ConcurrencyKeyLifetime, CommandFlags.FireAndForget);
            database.KeyExpire(key + ":stats", ConcurrencyKeyLifetime, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Housekeeping only: the next acquire sets the lifetime again.
        }

        return lease;
    }

    /// <summary>This replica's own count of the policy's limits: the in-memory policy's, or a shared one's while its Redis is away.</summary>
    public ValueTask<RateLimitLease> AcquireLocallyAsync(string client, CancellationToken cancellationToken) =>
        _local.AcquireAsync(client, 1, cancellationToken);

    /// <summary>True for the failure that begins an outage of this policy's store (log it); false while one is known.</summary>
    public bool StoreWentDown() => Interlocked.Exchange(ref _storeDown, 1) == 0;

    /// <summary>The store answered: the next failure begins a new outage (a read first, so the common path writes nothing).</summary>
    public void StoreAnswered()
    {
        if (Volatile.Read(ref _storeDown) == 1)
        {
            Volatile.Write(ref _storeDown, 0);
        }
    }

    /// <summary>Permits left for this client after this request (the r of the RateLimit header).</summary>
    /// <param name="local">The lease is this replica's own (<see cref="AcquireLocallyAsync"/>, or an in-memory policy's).</param>
    public long Remaining(RateLimitLease lease, string client, bool local = false)
    {
        if (!lease.IsAcquired)
        {
            return 0;
        }

        if (lease.TryGetMetadata(RateLimitMetadataName.Remaining, out var left))
        {
            return left;
        }

        return Math.Max(0, (local ? _local : _limiter).GetStatistics(client)?.CurrentAvailablePermits ?? 0);
    }

    /// <summary>When the client may try again: the limiter's own answer, else one replenishment step.</summary>
    public TimeSpan RetryAfter(RateLimitLease lease)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
        {
            return wait;
        }

        if (lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return FallbackWait(Settings);
    }

    /// <summary>
    /// The wait when a lease carries none: a token bucket's period, a sliding window's segment, a fixed window (no
    /// segments, whatever SegmentsPerWindow says); a concurrency limiter frees a permit when a request ends, so 1 s.
    /// The status guide names the same wait.
    /// </summary>
    public static TimeSpan FallbackWait(RateLimitPolicyOptions settings) => settings.Kind switch
    {
        RateLimitKind.TokenBucket => settings.ReplenishmentPeriod,
        RateLimitKind.Concurrency => TimeSpan.FromSeconds(1),
        RateLimitKind.SlidingWindow => settings.Window / Math.Max(1, settings.SegmentsPerWindow),
        _ => settings.Window,
    };

    /// <summary>Seconds until the quota resets (the t of the RateLimit header); a window at most.</summary>
    public int ResetSeconds(RateLimitLease lease) =>
        lease.IsAcquired ? Settings.Shape().WindowSeconds : RetryAfterSeconds.Of(RetryAfter(lease));

    public async ValueTask DisposeAsync()
    {
        await _limiter.DisposeAsync();
        if (_local != _limiter)
        {
            await _local.DisposeAsync();
        }
    }

    /// <summary>
    /// The in-memory limiter of one client. AutoReplenishment is off as <c>RateLimitPartition.GetXxxLimiter</c> would
    /// set it: the partitioned limiter replenishes every partition from its own timer.
    /// </summary>
    private static Func<string, RateLimiter> LocalLimiterFactory(RateLimitPolicyOptions settings)
    {
        switch (settings.Kind)
        {
            case RateLimitKind.FixedWindow:
                var fixedWindow = new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    QueueLimit = 0,
                    AutoReplenishment = false,
                };
                return _ => new FixedWindowRateLimiter(fixedWindow);
            case RateLimitKind.SlidingWindow:
                var slidingWindow = new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    SegmentsPerWindow = settings.SegmentsPerWindow,
                    QueueLimit = 0,
                    AutoReplenishment = false,
                };
                return _ => new SlidingWindowRateLimiter(slidingWindow);
            case RateLimitKind.TokenBucket:
                var tokenBucket = new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.TokenLimit,
                    TokensPerPeriod = settings.TokensPerPeriod,
                    ReplenishmentPeriod = settings.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = false,
                };
                return _ => new TokenBucketRateLimiter(tokenBucket);
            case RateLimitKind.Concurrency:
                var concurrency = new ConcurrencyLimiterOptions { PermitLimit = settings.PermitLimit, QueueLimit = 0 };
                return _ => new ConcurrencyLimiter(concurrency);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "unknown rate limit kind");
        }
    }

    private Func<string, RateLimiter> Counted(Func<string, RateLimiter> factory) => client => new CountedPartition(factory(client), _partitions);

    private static RateLimitPartition<string> SharedPartition(string key, RateLimitPolicyOptions settings, Func<IConnectionMultiplexer> shared, PartitionCount count)
    {
        var partition = RedisPartition(key, settings, shared);
        return RateLimitPartition.Get(partition.PartitionKey, client => new CountedPartition(partition.Factory(client), count));
    }

    private static RateLimitPartition<string> RedisPartition(string key, RateLimitPolicyOptions settings, Func<IConnectionMultiplexer> shared) =>
        settings.Kind switch
        {
            RateLimitKind.FixedWindow => RedisRateLimitPartition.GetFixedWindowRateLimiter(key, _ => new RedisFixedWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = settings.Window,
                ConnectionMultiplexerFactory = shared,
            }),
            RateLimitKind.SlidingWindow => RedisRateLimitPartition.GetSlidingWindowRateLimiter(key, _ => new RedisSlidingWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = settings.Window,
                ConnectionMultiplexerFactory = shared,
            }),
            RateLimitKind.TokenBucket => RedisRateLimitPartition.GetTokenBucketRateLimiter(key, _ => new RedisTokenBucketRateLimiterOptions
            {
                TokenLimit = settings.TokenLimit,
                TokensPerPeriod = settings.TokensPerPeriod,
                ReplenishmentPeriod = settings.ReplenishmentPeriod,
                ConnectionMultiplexerFactory = shared,
            }),
            _ => RedisRateLimitPartition.GetConcurrencyRateLimiter(key, _ => new RedisConcurrencyRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                QueueLimit = 0,
                ConnectionMultiplexerFactory = shared,
            }),
        };
}
