using System.Net.Http.Json;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Replicas;

/// <summary>
/// Shared rate limits while their Redis is away (the real redis-server stopped), decided per policy: fail open falls
/// back to the policy's limits counted by this replica alone, never to no limit; fail closed answers 503 ratelimit.
/// The root config's search policy allows 10 requests per 10 s.
/// </summary>
public sealed class RateLimitOutageTests : RootConfigTest
{
    private const string Search = "/api/search?q=phones";

    [RealComponentFact("redis-server")]
    public async Task Failing_open_the_policy_still_limits_each_replica_and_failing_closed_refuses_with_retry_after()
    {
        var redis = await RedisServer.StartAsync();
        await using var open = await StartAsync(redis);
        await using var closedByPolicy = await StartAsync(redis, "--RateLimiting:Policies:search:FailOpen=false");
        await using var openByPolicy = await StartAsync(redis, "--RateLimiting:Redis:FailOpen=false", "--RateLimiting:Policies:search:FailOpen=true");
        try
        {
            foreach (var gateway in new[] { open, closedByPolicy, openByPolicy })
            {
                Assert.Equal(200, await gateway.Public.StatusAsync(Search));
            }

            await redis.DisposeAsync();

            foreach (var gateway in new[] { open, openByPolicy })
            {
                var statuses = new List<int>();
                for (var i = 0; i < 12; i++)
                {
                    statuses.Add(await gateway.Public.StatusAsync(Search));
                }

                Assert.Equal([.. Enumerable.Repeat(200, 10), 429, 429], statuses);
                Assert.Single(gateway.Logs.Lines, line => line.Contains("Rate-limit store unreachable for policy search", StringComparison.Ordinal));
            }

            using (var refused = await closedByPolicy.Public.GetAsync(new Uri(Search, UriKind.Relative)))
            {
                await ProblemAssert.IsGatewayProblemAsync(refused, 503, "ratelimit");
                Assert.NotNull(refused.Headers.RetryAfter);
            }

            // Routes without a policy never depend on the store.
            Assert.Equal(200, await closedByPolicy.Public.StatusAsync("/api/users/1"));

            using var described = await closedByPolicy.AdminAsync(HttpMethod.Get, "/admin/ratelimits", GatewayInstance.ReadOnlyKey);
            var search = (await described.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("policies").EnumerateArray()
                .Single(policy => policy.GetProperty("name").GetString() == "search");
            Assert.False(search.GetProperty("failOpen").GetBoolean());
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    private Task<GatewayInstance> StartAsync(RedisServer redis, params string[] extra) =>
        GatewayInstance.StartAsync(Config.Path, [.. redis.GatewayArgs(), .. extra]);
}
