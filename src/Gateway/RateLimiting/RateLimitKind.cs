namespace Gateway.RateLimiting;

public enum RateLimitKind
{
    FixedWindow,
    SlidingWindow,
    TokenBucket,
    Concurrency,
}
