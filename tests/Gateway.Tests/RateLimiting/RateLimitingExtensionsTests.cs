using Gateway.RateLimiting;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.RateLimiting;

/// <summary>The <c>RateLimiting</c> section's check, as the config reload runs it before accepting a file.</summary>
public sealed class RateLimitingExtensionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["RateLimiting:Policies:per-client:Kind"] = "FixedWindow",
        ["RateLimiting:Policies:per-client:PermitLimit"] = "10",
        ["RateLimiting:Policies:per-client:Window"] = "00:01:00",
        ["ReverseProxy:Routes:users:RateLimiterPolicy"] = "per-client",
    };

    [Fact]
    public void A_valid_section_has_no_errors() => Assert.Empty(Check(Valid));

    [Fact]
    public void No_section_at_all_is_valid() => Assert.Empty(Check([]));

    [Theory]
    [InlineData("RateLimiting:Policies:per-client:PermitLimit", "0", "RateLimiting:Policies:per-client: PermitLimit must be at least 1")]
    [InlineData("RateLimiting:Policies:per-client:Window", "00:00:00", "RateLimiting:Policies:per-client: Window must be a positive time span (hh:mm:ss)")]
    [InlineData("RateLimiting:Policies:per-client:Windw", "00:01:00", "RateLimiting:Policies:per-client:Windw: unknown key")]
    [InlineData("RateLimiting:Policies:per-client:Kind", "Leaky", "RateLimiting:Policies:per-client:Kind")]
    [InlineData("RateLimiting:Policies:per-client:Kind", "7", "RateLimiting:Policies:per-client: Kind must be one of FixedWindow, SlidingWindow, TokenBucket, Concurrency, not 7")]
    [InlineData("RateLimiting:Store", "memcached", "RateLimiting:Store: 'memcached' is neither 'memory' nor 'redis'")]
    [InlineData("RateLimiting:Store", "Redis", "RateLimiting:Store: 'Redis' is neither")] // The check is case-sensitive.
    [InlineData("RateLimiting:Store", "redis", "RateLimiting:Redis:ConnectionString: required when Store is 'redis'")]
    [InlineData("ReverseProxy:Routes:users:RateLimiterPolicy", "per-clinet", "Route 'users': RateLimiterPolicy 'per-clinet' is not a policy in RateLimiting:Policies")]
    public void Each_error_names_the_key(string key, string value, string expected)
    {
        var errors = Check(new Dictionary<string, string?>(Valid) { [key] = value });

        Assert.Contains(errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_route_may_name_its_policy_in_any_case() =>
        Assert.Empty(Check(new Dictionary<string, string?>(Valid) { ["ReverseProxy:Routes:users:RateLimiterPolicy"] = "PER-CLIENT" }));

    [Fact]
    public void A_redis_store_with_a_connection_string_is_valid() =>
        Assert.Empty(Check(new Dictionary<string, string?>(Valid)
        {
            ["RateLimiting:Store"] = "redis",
            ["RateLimiting:Redis:ConnectionString"] = "127.0.0.1:6379",
        }));

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public void A_policy_may_say_what_it_does_while_its_redis_is_away(string failOpen) =>
        Assert.Empty(Check(new Dictionary<string, string?>(Valid) { ["RateLimiting:Policies:per-client:FailOpen"] = failOpen }));

    private static List<string> Check(Dictionary<string, string?> data) => ConfigChecks.Errors((services, configuration) => services.AddGatewayRateLimiting(configuration), data);
}
