using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>With <c>RateLimiting:Store = redis</c> the limit holds across replicas; without Redis the gateway keeps answering.</summary>
public sealed class RedisRateLimitingTests : RootConfigTest
{
    [RealComponentFact("redis-server")]
    public async Task Two_gateways_sharing_redis_admit_the_limit_in_total()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await StartGatewayAsync(redis);
        await using var second = await StartGatewayAsync(redis);

        var statuses = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            var gateway = i % 2 == 0 ? first : second;
            using var response = await SearchAsync(gateway, "shared-client");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal(10, statuses.Count(status => status == 200));
        Assert.Equal(20, statuses.Count(status => status == 429));
        Assert.Equal(200, await StatusOfSearchAsync(first, "another-client"));
    }

    [RealComponentFact("redis-server")]
    public async Task When_redis_goes_away_the_gateway_keeps_answering_and_says_so()
    {
        var redis = await RedisServer.StartAsync();
        await using var failOpen = await StartGatewayAsync(redis);
        await using var failClosed = await StartGatewayAsync(redis, "--RateLimiting:Redis:FailOpen=false");
        Assert.Equal(200, await StatusOfSearchAsync(failOpen, "before"));
        await redis.DisposeAsync();

        Assert.Equal(200, await StatusOfSearchAsync(failOpen, "after"));
        Assert.Contains(failOpen.Logs.Lines, line => line.Contains("Rate-limit store unreachable", StringComparison.Ordinal));
        using var refused = await SearchAsync(failClosed, "after");
        await ProblemAssert.IsGatewayProblemAsync(refused, 503, "ratelimit");
        Assert.Equal(200, await failOpen.Public.StatusAsync("/api/users/1"));
    }

    private Task<GatewayInstance> StartGatewayAsync(RedisServer redis, params string[] extra) =>
        GatewayInstance.StartAsync(Config.Path, ["--RateLimiting:Store=redis", $"--RateLimiting:Redis:ConnectionString={redis.ConnectionString}", $"--Store:IntegrityKey={RedisServer.IntegrityKey}", .. extra]);

    private static async Task<HttpResponseMessage> SearchAsync(GatewayInstance gateway, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/search?q=phones");
        request.Headers.Add("X-Api-Key", apiKey);
        return await gateway.Public.SendAsync(request);
    }

    private static async Task<int> StatusOfSearchAsync(GatewayInstance gateway, string apiKey)
    {
        using var response = await SearchAsync(gateway, apiKey);
        return (int)response.StatusCode;
    }
}
