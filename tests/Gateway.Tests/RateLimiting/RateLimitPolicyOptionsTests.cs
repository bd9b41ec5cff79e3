using Gateway.RateLimiting;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitPolicyOptionsTests
{
    [Theory]
    [InlineData(RateLimitKind.FixedWindow)]
    [InlineData(RateLimitKind.SlidingWindow)]
    [InlineData(RateLimitKind.TokenBucket)]
    [InlineData(RateLimitKind.Concurrency)]
    public void A_complete_policy_has_no_problems(RateLimitKind kind) =>
        Assert.Empty(Policy(kind).Problems());

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, 0, 60, 1, "PermitLimit must be at least 1")]
    [InlineData(RateLimitKind.FixedWindow, 10, 0, 1, "Window must be a positive time span (hh:mm:ss)")]
    [InlineData(RateLimitKind.FixedWindow, 10, -1, 1, "Window must be a positive time span (hh:mm:ss)")]
    [InlineData(RateLimitKind.SlidingWindow, -1, 60, 4, "PermitLimit must be at least 1")]
    [InlineData(RateLimitKind.SlidingWindow, 10, 0, 4, "Window must be a positive time span (hh:mm:ss)")]
    [InlineData(RateLimitKind.SlidingWindow, 10, 60, 0, "SegmentsPerWindow must be at least 1")]
    [InlineData(RateLimitKind.Concurrency, 0, 0, 0, "PermitLimit must be at least 1")]
    public void A_window_or_concurrency_policy_names_the_field_that_is_wrong(RateLimitKind kind, int permitLimit, int windowSeconds, int segments, string problem)
    {
        var settings = Policy(kind) with { PermitLimit = permitLimit, Window = TimeSpan.FromSeconds(windowSeconds), SegmentsPerWindow = segments };

        Assert.Equal([problem], settings.Problems());
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow)]
    [InlineData(RateLimitKind.SlidingWindow)]
    [InlineData(RateLimitKind.TokenBucket)]
    public void Holding_a_permit_while_upgraded_is_for_a_concurrency_policy_only(RateLimitKind kind)
    {
        Assert.Empty((Policy(RateLimitKind.Concurrency) with { HoldPermitWhileUpgraded = true }).Problems());
        Assert.Equal(
            ["HoldPermitWhileUpgraded applies to Kind Concurrency only (no other kind holds a permit while a request runs)"],
            (Policy(kind) with { HoldPermitWhileUpgraded = true }).Problems());
    }

    [Theory]
    [InlineData(0, 1, 10, "TokenLimit must be at least 1")]
    [InlineData(5, 0, 10, "TokensPerPeriod must be at least 1")]
    [InlineData(5, 1, 0, "ReplenishmentPeriod must be a positive time span (hh:mm:ss)")]
    public void A_token_bucket_names_the_field_that_is_wrong(int tokenLimit, int tokensPerPeriod, int periodSeconds, string problem)
    {
        var settings = Policy(RateLimitKind.TokenBucket) with
        {
            TokenLimit = tokenLimit,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(periodSeconds),
        };

        Assert.Equal([problem], settings.Problems());
    }

    [Fact]
    public void A_kind_no_limiter_has_is_refused_by_name()
    {
        var settings = Policy(RateLimitKind.FixedWindow) with { Kind = (RateLimitKind)7 };

        Assert.Equal(["Kind must be one of FixedWindow, SlidingWindow, TokenBucket, Concurrency, not 7"], settings.Problems());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var settings = new RateLimitPolicyOptions { Kind = RateLimitKind.SlidingWindow, SegmentsPerWindow = 0 };

        Assert.Equal(3, settings.Problems().Count());
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow)]
    [InlineData(RateLimitKind.Concurrency)]
    public void Fields_of_other_kinds_are_not_checked(RateLimitKind kind)
    {
        var settings = Policy(kind) with { TokenLimit = 0, TokensPerPeriod = 0, ReplenishmentPeriod = TimeSpan.Zero, SegmentsPerWindow = 0 };
        if (kind == RateLimitKind.Concurrency)
        {
            settings = settings with { Window = TimeSpan.Zero };
        }

        Assert.Empty(settings.Problems());
    }

    [Fact]
    public void The_default_policy_is_an_incomplete_fixed_window()
    {
        var settings = new RateLimitPolicyOptions();

        Assert.Equal(RateLimitKind.FixedWindow, settings.Kind);
        Assert.Equal(["PermitLimit must be at least 1", "Window must be a positive time span (hh:mm:ss)"], settings.Problems());
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, 10, 60.0, 10, 60)]
    [InlineData(RateLimitKind.SlidingWindow, 10, 60.0, 10, 60)]
    [InlineData(RateLimitKind.FixedWindow, 10, 0.5, 10, 1)] // Under a second is still a one-second window.
    [InlineData(RateLimitKind.FixedWindow, 10, 1.2, 10, 2)]
    [InlineData(RateLimitKind.Concurrency, 7, 60.0, 7, 0)]
    public void The_shape_is_the_quota_and_the_window_in_whole_seconds(RateLimitKind kind, int permitLimit, double windowSeconds, int quota, int window)
    {
        var settings = Policy(kind) with { PermitLimit = permitLimit, Window = TimeSpan.FromSeconds(windowSeconds) };

        Assert.Equal((quota, window), settings.Shape());
    }

    [Theory]
    [InlineData(10, 5, 10, 20)] // Two periods fill the bucket.
    [InlineData(10, 3, 10, 40)] // A part-filled period still takes a whole one.
    [InlineData(10, 20, 10, 10)]
    [InlineData(10, 0, 10, 100)] // An invalid TokensPerPeriod is taken as 1, not divided by.
    public void A_token_buckets_window_is_the_time_to_refill_it(int tokenLimit, int tokensPerPeriod, int periodSeconds, int window)
    {
        var settings = Policy(RateLimitKind.TokenBucket) with
        {
            TokenLimit = tokenLimit,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(periodSeconds),
        };

        Assert.Equal((tokenLimit, window), settings.Shape());
    }

    [Fact]
    public void Equal_settings_are_equal_so_a_reload_keeps_the_limiter()
    {
        Assert.Equal(Policy(RateLimitKind.FixedWindow), Policy(RateLimitKind.FixedWindow));
        Assert.NotEqual(Policy(RateLimitKind.FixedWindow), Policy(RateLimitKind.FixedWindow) with { PermitLimit = 11 });
    }

    private static RateLimitPolicyOptions Policy(RateLimitKind kind) => new()
    {
        Kind = kind,
        PermitLimit = 10,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = 4,
        TokenLimit = 10,
        TokensPerPeriod = 5,
        ReplenishmentPeriod = TimeSpan.FromSeconds(10),
    };
}
