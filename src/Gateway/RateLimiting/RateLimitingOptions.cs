namespace Gateway.RateLimiting;

/// <summary>The <c>RateLimiting</c> section: named policies that routes attach with <c>RateLimiterPolicy</c>.</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary><c>memory</c> (per gateway instance) or <c>redis</c> (shared by every replica).</summary>
    public string Store { get; init; } = "memory";

    public RedisStoreOptions Redis { get; init; } = new();

    public Dictionary<string, RateLimitPolicyOptions> Policies { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
