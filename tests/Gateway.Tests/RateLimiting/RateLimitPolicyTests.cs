using System.Threading.RateLimiting;
using Gateway.RateLimiting;
using Gateway.Store;
using RedisRateLimiting;

namespace Gateway.Tests.RateLimiting;

/// <summary>In-memory policies only; windows are an hour long so that nothing replenishes while a test runs.</summary>
public sealed class RateLimitPolicyTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, "\"api\";q=3;w=3600")]
    [InlineData(RateLimitKind.SlidingWindow, "\"api\";q=3;w=3600")]
    [InlineData(RateLimitKind.TokenBucket, "\"api\";q=3;w=7200")]
    [InlineData(RateLimitKind.Concurrency, "\"api\";q=3")]
    public async Task The_policy_header_has_quota_and_window(RateLimitKind kind, string expected)
    {
        await using var policy = Policy(Hourly(kind, permits: 3, tokensPerPeriod: 2));

        Assert.Equal(expected, policy.PolicyHeader);
    }

    [Fact]
    public async Task The_remaining_permits_count_down_to_zero()
    {
        await using var policy = Policy(new() { Kind = RateLimitKind.FixedWindow, PermitLimit = 2, Window = Hour });

        using var first = await policy.AcquireAsync("alice", CancellationToken.None);
        Assert.Equal(1, policy.Remaining(first, "alice"));
        using var second = await policy.AcquireAsync("alice", CancellationToken.None);
        Assert.Equal(0, policy.Remaining(second, "alice"));
        using var refused = await policy.AcquireAsync("alice", CancellationToken.None);

        Assert.False(refused.IsAcquired);
        Assert.Equal(0, policy.Remaining(refused, "alice"));
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, 3600)]
    [InlineData(RateLimitKind.SlidingWindow, 900)]
    [InlineData(RateLimitKind.TokenBucket, 3600)]
    public async Task A_refused_request_is_told_when_to_come_back(RateLimitKind kind, int seconds)
    {
        await using var policy = Policy(Hourly(kind, permits: 1, tokensPerPeriod: 1));

        using var admitted = await policy.AcquireAsync("alice", CancellationToken.None);
        using var refused = await policy.AcquireAsync("alice", CancellationToken.None);

        Assert.True(admitted.IsAcquired);
        Assert.False(refused.IsAcquired);
        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.RetryAfter(refused));
        Assert.Equal(seconds, policy.ResetSeconds(refused));
    }

    [Fact]
    public async Task Each_client_has_its_own_quota()
    {
        await using var policy = Policy(new() { Kind = RateLimitKind.FixedWindow, PermitLimit = 1, Window = Hour });

        using var alice = await policy.AcquireAsync("alice", CancellationToken.None);
        using var aliceAgain = await policy.AcquireAsync("alice", CancellationToken.None);
        using var bob = await policy.AcquireAsync("bob", CancellationToken.None);

        Assert.True(alice.IsAcquired);
        Assert.False(aliceAgain.IsAcquired);
        Assert.True(bob.IsAcquired);
    }

    [Fact]
    public async Task A_concurrency_permit_comes_back_when_its_request_ends()
    {
        await using var policy = Policy(new() { Kind = RateLimitKind.Concurrency, PermitLimit = 1 });
        Assert.True(policy.HoldsPermitWhileRunning);

        var running = await policy.AcquireAsync("alice", CancellationToken.None);
        using (var refused = await policy.AcquireAsync("alice", CancellationToken.None))
        {
            Assert.False(refused.IsAcquired);
            Assert.Equal(TimeSpan.FromSeconds(1), policy.RetryAfter(refused));
            Assert.Equal(1, policy.ResetSeconds(refused));
        }

        running.Dispose();
        using var next = await policy.AcquireAsync("alice", CancellationToken.None);
        Assert.True(next.IsAcquired);
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, false)]
    [InlineData(RateLimitKind.SlidingWindow, false)]
    [InlineData(RateLimitKind.TokenBucket, false)]
    [InlineData(RateLimitKind.Concurrency, true)]
    public async Task Only_a_concurrency_lease_is_held_while_the_request_runs(RateLimitKind kind, bool holds)
    {
        await using var policy = Policy(Valid(kind));

        Assert.Equal(holds, policy.HoldsPermitWhileRunning);
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, 60)]
    [InlineData(RateLimitKind.SlidingWindow, 15)] // One segment of the window.
    [InlineData(RateLimitKind.TokenBucket, 10)] // One replenishment period.
    [InlineData(RateLimitKind.Concurrency, 1)]
    public async Task Without_the_limiters_answer_the_wait_is_one_replenishment_step(RateLimitKind kind, int seconds)
    {
        await using var policy = Policy(Valid(kind));
        var refused = new Lease(acquired: false);

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.RetryAfter(refused));
        Assert.Equal(seconds, policy.ResetSeconds(refused));
    }

    [Fact]
    public async Task A_fixed_windows_wait_ignores_a_leftover_segment_count()
    {
        await using var policy = Policy(Valid(RateLimitKind.FixedWindow) with { SegmentsPerWindow = 4 });

        Assert.Equal(TimeSpan.FromMinutes(1), policy.RetryAfter(new Lease(acquired: false)));
    }

    [Theory]
    [InlineData(7.0, 30, 7.0, 7)] // The limiter's own answer wins over Redis's seconds.
    [InlineData(null, 30, 30.0, 30)]
    [InlineData(null, 0, 0.0, 1)] // The reset is never 0: a client would retry at once.
    [InlineData(2.1, null, 2.1, 3)] // A fraction of a second is rounded up.
    public async Task A_leases_own_wait_is_used_as_given(double? limiterSeconds, int? redisSeconds, double retryAfter, int resetSeconds)
    {
        await using var policy = Policy(Valid(RateLimitKind.FixedWindow));
        var metadata = new List<(string, object)>();
        if (limiterSeconds is { } limiter)
        {
            metadata.Add((MetadataName.RetryAfter.Name, TimeSpan.FromSeconds(limiter)));
        }

        if (redisSeconds is { } redis)
        {
            metadata.Add((RateLimitMetadataName.RetryAfter.Name, redis));
        }

        var refused = new Lease(acquired: false, [.. metadata]);

        Assert.Equal(TimeSpan.FromSeconds(retryAfter), policy.RetryAfter(refused));
        Assert.Equal(resetSeconds, policy.ResetSeconds(refused));
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, 60)]
    [InlineData(RateLimitKind.TokenBucket, 20)] // 5 tokens at 3 per 10 s: two periods to fill the bucket.
    [InlineData(RateLimitKind.Concurrency, 0)]
    public async Task An_admitted_request_is_told_the_whole_window(RateLimitKind kind, int seconds)
    {
        await using var policy = Policy(Valid(kind));

        Assert.Equal(seconds, policy.ResetSeconds(new Lease(acquired: true)));
    }

    /// <summary>
    /// Pins System.Threading.RateLimiting's partitioned limiter: its heartbeat (every 100 ms) disposes a partition whose
    /// limiter has been idle for more than 10 s, so clients that stop coming cost nothing. A concurrency partition is
    /// idle from the moment its last permit is back; one still holding a permit is kept.
    /// </summary>
    [Fact]
    public async Task Partitions_are_counted_and_idle_ones_are_disposed_by_the_framework()
    {
        await using var policy = Policy(new() { Kind = RateLimitKind.Concurrency, PermitLimit = 1 });
        for (var i = 0; i < 25; i++)
        {
            using var lease = await policy.AcquireAsync($"client-{i}", CancellationToken.None);
            Assert.True(lease.IsAcquired);
        }

        using var held = await policy.AcquireAsync("busy", CancellationToken.None);
        Assert.Equal(26, policy.Partitions);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (policy.Partitions > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, policy.Partitions);
        using var again = await policy.AcquireAsync("client-0", CancellationToken.None); // A client that comes back gets a new partition.
        Assert.True(again.IsAcquired);
        Assert.Equal(2, policy.Partitions);
    }

    [Fact]
    public async Task A_counted_window_partition_is_still_replenished_by_the_framework()
    {
        // AutoReplenishment is off: the partitioned limiter's heartbeat replenishes, which it does only for a ReplenishingRateLimiter.
        await using var policy = Policy(new() { Kind = RateLimitKind.FixedWindow, PermitLimit = 1, Window = TimeSpan.FromMilliseconds(300) });
        using (var first = await policy.AcquireAsync("alice", CancellationToken.None))
        {
            Assert.True(first.IsAcquired);
        }

        using (var refused = await policy.AcquireAsync("alice", CancellationToken.None))
        {
            Assert.False(refused.IsAcquired);
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        var admitted = false;
        while (!admitted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            using var lease = await policy.AcquireAsync("alice", CancellationToken.None);
            admitted = lease.IsAcquired;
        }

        Assert.True(admitted, "the window never replenished");
    }

    [Fact]
    public async Task A_redis_leases_remaining_count_is_used_as_given()
    {
        await using var policy = Policy(Valid(RateLimitKind.FixedWindow));

        Assert.Equal(42, policy.Remaining(new Lease(acquired: true, (RateLimitMetadataName.Remaining.Name, 42L)), "alice"));
        Assert.Equal(0, policy.Remaining(new Lease(acquired: false, (RateLimitMetadataName.Remaining.Name, 42L)), "alice"));
    }

    private static RateLimitPolicy Policy(RateLimitPolicyOptions settings) => new("api", settings, redisConnectionString: null, new RedisConnections());

    /// <summary>An hour's window (4 segments) or an hour's refill, so nothing replenishes during a test.</summary>
    private static RateLimitPolicyOptions Hourly(RateLimitKind kind, int permits, int tokensPerPeriod) => new()
    {
        Kind = kind,
        PermitLimit = permits,
        Window = Hour,
        SegmentsPerWindow = 4,
        TokenLimit = permits,
        TokensPerPeriod = tokensPerPeriod,
        ReplenishmentPeriod = Hour,
    };

    private static RateLimitPolicyOptions Valid(RateLimitKind kind) => new()
    {
        Kind = kind,
        PermitLimit = 5,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = kind == RateLimitKind.SlidingWindow ? 4 : 1,
        TokenLimit = 5,
        TokensPerPeriod = 3,
        ReplenishmentPeriod = TimeSpan.FromSeconds(10),
    };

    /// <summary>A lease as a limiter might hand it out, with exactly the metadata given.</summary>
    private sealed class Lease(bool acquired, params (string Name, object Value)[] metadata) : RateLimitLease
    {
        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => metadata.Select(entry => entry.Name);

        public override bool TryGetMetadata(string metadataName, out object? value)
        {
            foreach (var (name, found) in metadata)
            {
                if (string.Equals(name, metadataName, StringComparison.Ordinal))
                {
                    value = found;
                    return true;
                }
            }

            value = null;
            return false;
        }
    }
}
