using Gateway.Utilities;

namespace Gateway.RateLimiting;

/// <summary>One policy; which fields matter depends on <see cref="Kind"/>.</summary>
public sealed record RateLimitPolicyOptions
{
    public RateLimitKind Kind { get; init; } = RateLimitKind.FixedWindow;

    /// <summary>Requests per window (window kinds) or in flight at once (concurrency).</summary>
    public int PermitLimit { get; init; }

    public TimeSpan Window { get; init; }

    public int SegmentsPerWindow { get; init; } = 1;

    public int TokenLimit { get; init; }

    public int TokensPerPeriod { get; init; }

    public TimeSpan ReplenishmentPeriod { get; init; }

    /// <summary>
    /// Concurrency only: keep the permit while an upgraded connection (a WebSocket session after its 101) is open, so
    /// <see cref="PermitLimit"/> bounds open sessions. Off by default: the permit goes back at the upgrade, as a
    /// session is not a request in progress.
    /// </summary>
    public bool HoldPermitWhileUpgraded { get; init; }

    /// <summary>
    /// While a shared policy's Redis is away: true counts each client on this replica alone (the policy's limits per
    /// replica), false answers 503. Unset: <c>RateLimiting:Redis:FailOpen</c>.
    /// </summary>
    public bool? FailOpen { get; init; }

    /// <summary>The quota (q) and window in seconds (w) of the RateLimit-Policy header.</summary>
    internal (int Quota, int WindowSeconds) Shape() => Kind switch
    {
        RateLimitKind.TokenBucket => (TokenLimit, RetryAfterSeconds.Of(ReplenishmentPeriod * Math.Ceiling(TokenLimit / (double)Math.Max(1, TokensPerPeriod)))),
        RateLimitKind.Concurrency => (PermitLimit, 0),
        _ => (PermitLimit, RetryAfterSeconds.Of(Window)),
    };

    internal IEnumerable<string> Problems()
    {
        switch (Kind)
        {
            case RateLimitKind.FixedWindow or RateLimitKind.SlidingWindow:
                if (PermitLimit < 1) yield return "PermitLimit must be at least 1";
                if (Window <= TimeSpan.Zero) yield return "Window must be a positive time span (hh:mm:ss)";
                if (Kind == RateLimitKind.SlidingWindow && SegmentsPerWindow < 1) yield return "SegmentsPerWindow must be at least 1";
                break;
            case RateLimitKind.TokenBucket:
                if (TokenLimit < 1) yield return "TokenLimit must be at least 1";
                if (TokensPerPeriod < 1) yield return "TokensPerPeriod must be at least 1";
                if (ReplenishmentPeriod <= TimeSpan.Zero) yield return "ReplenishmentPeriod must be a positive time span (hh:mm:ss)";
                break;
            case RateLimitKind.Concurrency:
                if (PermitLimit < 1) yield return "PermitLimit must be at least 1";
                break;
            default:
                // The binder takes a number as an enum value even when no kind has it ("Kind": "7").
                yield return $"Kind must be one of {string.Join(", ", Enum.GetNames<RateLimitKind>())}, not {(int)Kind}";
                break;
        }

        if (HoldPermitWhileUpgraded && Kind != RateLimitKind.Concurrency)
        {
            yield return "HoldPermitWhileUpgraded applies to Kind Concurrency only (no other kind holds a permit while a request runs)";
        }
    }
}
