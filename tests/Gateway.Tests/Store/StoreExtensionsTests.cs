using Gateway.Store;
using Gateway.Tests.TestSupport;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Store;

public sealed class StoreExtensionsTests
{
    [Theory]
    [InlineData("redis:6379", null, null, "redis:6379")]
    [InlineData("redis:6379", "redis", "other:6379", "redis:6379")] // The store's own key wins.
    [InlineData(null, "redis", "legacy:6379", "legacy:6379")] // The rate limiter's keys of before still name it.
    [InlineData(null, "memory", "legacy:6379", null)]
    [InlineData("", null, null, null)] // Empty: the memory store.
    [InlineData(null, null, null, null)]
    public void The_stores_redis_comes_from_its_own_key_else_from_the_rate_limiters_old_keys(
        string? store, string? rateLimitStore, string? rateLimitRedis, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Redis:ConnectionString"] = store,
            ["RateLimiting:Store"] = rateLimitStore,
            ["RateLimiting:Redis:ConnectionString"] = rateLimitRedis,
        }).Build();

        Assert.Equal(expected, StoreExtensions.RedisConnectionString(configuration));
    }

    [Theory]
    [InlineData("shop:")]
    [InlineData("shop:gateway-2:")]
    [InlineData("a.b_c-d:")]
    public void A_key_prefix_of_names_ending_with_colons_is_valid(string prefix) =>
        Assert.Empty(Check(new() { ["Store:Redis:KeyPrefix"] = prefix }));

    [Theory]
    [InlineData("")]
    [InlineData("gateway")] // Its keys would run into the next word: gatewaycache:…
    [InlineData("gate*:")] // A glob character: an ACL pattern or a SCAN would match other keys.
    [InlineData("gate way:")]
    [InlineData("gateway:\n")]
    [InlineData("::")]
    public void Any_other_key_prefix_is_an_error_naming_the_key(string prefix) =>
        Assert.Contains(Check(new() { ["Store:Redis:KeyPrefix"] = prefix }), error => error.StartsWith("Store:Redis:KeyPrefix: ", StringComparison.Ordinal));

    [Fact]
    public void Redis_needs_an_integrity_key_of_the_deployments_own_outside_demo_mode()
    {
        Assert.Contains(Check(new() { ["Store:Redis:ConnectionString"] = "redis:6379" }), error => error.StartsWith("Store:IntegrityKey: required with Redis", StringComparison.Ordinal));
        Assert.Contains(Check(new() { ["RateLimiting:Store"] = "redis", ["RateLimiting:Redis:ConnectionString"] = "redis:6379" }),
            error => error.StartsWith("Store:IntegrityKey: required", StringComparison.Ordinal)); // The old keys make the store Redis too.
        Assert.Contains(Check(new() { ["Store:Redis:ConnectionString"] = "redis:6379", ["Store:IntegrityKey"] = "short" }),
            error => error.StartsWith("Store:IntegrityKey: is 5 characters", StringComparison.Ordinal));
        var shipped = new Dictionary<string, string?> { ["Store:Redis:ConnectionString"] = "redis:6379", ["Store:IntegrityKey"] = "gateway-demo-store-integrity-key-change-me-0123456789" };
        Assert.Contains(Check(shipped), error => error.StartsWith("Store:IntegrityKey: is a demo value", StringComparison.Ordinal));
        Assert.Empty(Check(new(shipped) { ["Gateway:DemoMode"] = "true" }));
        Assert.Empty(Check(new() { ["Store:Redis:ConnectionString"] = "redis:6379", ["Store:IntegrityKey"] = new string('k', 32) }));
        Assert.Empty(Check([])); // The memory store needs none.
    }

    private static List<string> Check(Dictionary<string, string?> data) => ConfigChecks.Errors((services, configuration) => services.AddGatewayStore(configuration), data);
}
