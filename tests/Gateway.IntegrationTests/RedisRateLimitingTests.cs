using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>With <c>RateLimiting:Store = redis</c> the limit holds across replicas; without Redis the gateway keeps answering.</summary>
public sealed class RedisRateLimitingTests : RootConfigTest
{
    /// <summary>The root config's demo client (Clients:ApiKeys:demo-client): one client whichever gateway it reaches.</summary>
    private const string DemoClientKey = "demo-client-key";

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
            using var response = await SearchAsync(gateway, DemoClientKey);
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal(10, statuses.Count(status => status == 200));
        Assert.Equal(20, statuses.Count(status => status == 429));
        // Without a key the client is its address: another client, with a quota of its own.
        Assert.Equal(200, await StatusOfSearchAsync(first, apiKey: null));
    }

    [RealComponentFact("redis-server")]
    public async Task Every_rate_limit_key_written_to_redis_expires()
    {
        await using var redis = await RedisServer.StartAsync();
        Config.Edit(json =>
        {
            json["RateLimiting"]!["Policies"]!["in-flight"] = JsonNode.Parse("""{ "Kind": "Concurrency", "PermitLimit": 5 }""");
            json["ReverseProxy"]!["Routes"]!["users-api"]!["RateLimiterPolicy"] = "in-flight";
        });
        await using var gateway = await StartGatewayAsync(redis);
        Assert.Equal(200, await gateway.Public.StatusAsync("/api/users/1"));
        Assert.Equal(200, await StatusOfSearchAsync(gateway, DemoClientKey));

        // A client that never comes back must leave nothing behind: every key has a lifetime (TTL -1: none).
        var seen = "";
        await Eventually.HoldsAsync(async () =>
        {
            var keys = (await redis.CliAsync("--scan", "--pattern", "rl:*")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var ttls = new List<string>();
            foreach (var key in keys)
            {
                ttls.Add($"{key} {await redis.CliAsync("TTL", key)}");
            }

            seen = string.Join("; ", ttls);
            return keys.Any(key => key.StartsWith("rl:cc:", StringComparison.Ordinal)) && keys.Any(key => key.StartsWith("rl:fw:", StringComparison.Ordinal))
                && ttls.TrueForAll(entry => int.Parse(entry[(entry.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) > 0);
        }, () => $"every rate-limit key has a TTL; seen: {seen}", seconds: 5);
    }

    [RealComponentFact("redis-server")]
    public async Task When_redis_goes_away_the_gateway_keeps_answering_and_says_so()
    {
        var redis = await RedisServer.StartAsync();
        await using var failOpen = await StartGatewayAsync(redis);
        await using var failClosed = await StartGatewayAsync(redis, "--RateLimiting:Redis:FailOpen=false");
        Assert.Equal(200, await StatusOfSearchAsync(failOpen, apiKey: null));
        await redis.DisposeAsync();

        Assert.Equal(200, await StatusOfSearchAsync(failOpen, apiKey: null));
        Assert.Contains(failOpen.Logs.Lines, line => line.Contains("Rate-limit store unreachable", StringComparison.Ordinal));
        using var refused = await SearchAsync(failClosed, apiKey: null);
        await ProblemAssert.IsGatewayProblemAsync(refused, 503, "ratelimit");
        Assert.Equal(200, await failOpen.Public.StatusAsync("/api/users/1"));
    }

    private Task<GatewayInstance> StartGatewayAsync(RedisServer redis, params string[] extra) =>
        GatewayInstance.StartAsync(Config.Path, ["--RateLimiting:Store=redis", $"--RateLimiting:Redis:ConnectionString={redis.ConnectionString}", $"--Store:IntegrityKey={RedisServer.IntegrityKey}", .. extra]);

    private static async Task<HttpResponseMessage> SearchAsync(GatewayInstance gateway, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/search?q=phones");
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await gateway.Public.SendAsync(request);
    }

    private static async Task<int> StatusOfSearchAsync(GatewayInstance gateway, string? apiKey)
    {
        using var response = await SearchAsync(gateway, apiKey);
        return (int)response.StatusCode;
    }
}
