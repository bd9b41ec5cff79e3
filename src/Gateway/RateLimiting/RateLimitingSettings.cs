namespace Gateway.RateLimiting;

/// <summary>The <c>RateLimiting</c> section: named policies that routes attach with <c>RateLimiterPolicy</c>.</summary>
public sealed class RateLimitingSettings
{
    public const string SectionName = "RateLimiting";

    /// <summary><c>memory</c> (per gateway instance) or <c>redis</c> (shared by every replica).</summary>
    public string Store { get; init; } = "memory";

    public RedisStoreSettings Redis { get; init; } = new();

    public Dictionary<string, RateLimitPolicySettings> Policies { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class RedisStoreSettings
{
    /// <summary>StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>When Redis cannot be reached: admit (true, the default) or answer 503 (false).</summary>
    public bool FailOpen { get; init; } = true;
}

public enum RateLimitKind
{
    FixedWindow,
    SlidingWindow,
    TokenBucket,
    Concurrency,
}

/// <summary>One policy; which fields matter depends on <see cref="Kind"/>.</summary>
public sealed record RateLimitPolicySettings
{
    public RateLimitKind Kind { get; init; } = RateLimitKind.FixedWindow;

    /// <summary>Requests per window (window kinds) or in flight at once (concurrency).</summary>
    public int PermitLimit { get; init; }

    public TimeSpan Window { get; init; }

    public int SegmentsPerWindow { get; init; } = 1;

    public int TokenLimit { get; init; }

    public int TokensPerPeriod { get; init; }

    public TimeSpan ReplenishmentPeriod { get; init; }

    /// <summary>The quota (q) and window in seconds (w) of the RateLimit-Policy header.</summary>
    internal (int Quota, int WindowSeconds) Shape() => Kind switch
    {
        RateLimitKind.TokenBucket => (TokenLimit, Seconds(ReplenishmentPeriod * Math.Ceiling(TokenLimit / (double)Math.Max(1, TokensPerPeriod)))),
        RateLimitKind.Concurrency => (PermitLimit, 0),
        _ => (PermitLimit, Seconds(Window)),
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
    }

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));
}
