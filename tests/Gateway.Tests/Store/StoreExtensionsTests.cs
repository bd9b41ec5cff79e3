using Gateway.Store;
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
}
