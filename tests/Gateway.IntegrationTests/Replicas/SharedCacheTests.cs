using System.Globalization;
using System.Net;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Replicas;

/// <summary>
/// The output cache in Redis: two gateways on one real redis-server answer from what either stored (the products
/// route, public, max-age=30; X-Upstream-Answers counts the users API's own answers), and an outage of Redis is a
/// miss answered by the upstream, logged once.
/// </summary>
public sealed class SharedCacheTests : RootConfigTest
{
    private const string Products = "/api/products";

    // The cache key holds the Host, as it must (a host may change the answer): replicas behind one Service are asked
    // for one host, so both test gateways are too, whatever port each listens on.
    private const string Host = "gateway.test";

    [RealComponentFact("redis-server")]
    public async Task A_miss_on_one_replica_is_a_hit_on_the_other_and_its_etag_gets_304_there()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartAsync(redis, "a");
        await using var b = await StartAsync(redis, "b");

        using var miss = await GetAsync(a);
        await redis.CacheEntriesAsync();
        using var hit = await GetAsync(b);

        Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Null(miss.Headers.Age);
        Assert.NotNull(hit.Headers.Age);
        Assert.Equal(Answers(miss), Answers(hit)); // The upstream answered once, for a.
        Assert.Equal(await miss.Content.ReadAsStringAsync(), await hit.Content.ReadAsStringAsync());
        Assert.Equal(1, await CacheResultAsync(a, "miss"));
        Assert.Equal(1, await CacheResultAsync(b, "hit"));
        Assert.Equal(0, await UpstreamCallsAsync(b));
        Assert.NotEqual("", await redis.CliAsync("--scan", "--pattern", $"gateway:cache:*"));

        using var conditional = await GetAsync(b, request => request.Headers.IfNoneMatch.Add(miss.Headers.ETag!));
        Assert.Equal(HttpStatusCode.NotModified, conditional.StatusCode);
        Assert.Equal(miss.Headers.ETag, conditional.Headers.ETag);
        Assert.Equal(1, await CacheResultAsync(b, "not_modified"));
        Assert.Equal(0, await UpstreamCallsAsync(b));
    }

    [RealComponentFact("redis-server")]
    public async Task An_edit_of_the_route_drops_its_entries_from_redis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartAsync(redis, "a");
        await using var b = await StartAsync(redis, "b");
        using var stored = await GetAsync(a);
        await redis.CacheEntriesAsync();
        using (var hit = await GetAsync(b))
        {
            Assert.Equal(Answers(stored), Answers(hit));
        }

        // Both replicas read this file; each drops the route's tag in Redis.
        await a.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["products"]!["Order"] = -1);

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await GetAsync(b);
            return Answers(response) > Answers(stored) && response.Headers.Age is null;
        }, "a GET on b after the edit reaches the upstream");
    }

    [RealComponentFact("redis-server")]
    public async Task Without_redis_requests_are_answered_by_the_upstream_counted_as_misses_and_hits_return_with_it()
    {
        var redis = await RedisServer.StartAsync();
        var port = redis.Port;
        await using var a = await StartAsync(redis, "a");
        try
        {
            using (var stored = await GetAsync(a))
            using (var hit = await GetAsync(a))
            {
                Assert.NotNull(hit.Headers.Age);
            }

            await redis.DisposeAsync();

            var before = await CacheResultAsync(a, "miss");
            long? last = null;
            for (var i = 0; i < 5; i++)
            {
                using var response = await GetAsync(a);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Null(response.Headers.Age);
                // RFC 9211 fwd=bypass: the cache could not be consulted, so it did not handle the request.
                Assert.Equal("gateway; fwd=bypass", string.Join(", ", response.Headers.GetValues("Cache-Status")));
                Assert.True(last is null || Answers(response) > last, "each answer is the upstream's own");
                last = Answers(response);
            }

            Assert.Equal(before + 5, await CacheResultAsync(a, "miss"));
            Assert.Equal(0, await ResponsesAsync(a, "5xx"));
            Assert.Equal(1, a.Logs.Lines.Count(line => line.Contains("Output cache store (Redis) unreachable", StringComparison.Ordinal)));
            // Not the middleware's own two errors per request (a failed read, a failed write): the wrapper took them.
            Assert.DoesNotContain(a.Logs.Lines, line =>
                line.Contains("Unable to query output cache", StringComparison.Ordinal) || line.Contains("Unable to write to output-cache", StringComparison.Ordinal));
            Assert.Equal("Degraded", await HealthAsync(a, "cache"));
            await Eventually.HoldsAsync(async () => await HealthAsync(a, "store") == "Degraded", "the store check says Degraded too");

            // Redis comes back (empty): the next answer is stored again and the one after is a hit.
            redis = await RedisServer.StartAsync(port);
            await Eventually.HoldsAsync(async () =>
            {
                using var first = await GetAsync(a);
                using var second = await GetAsync(a);
                return second.Headers.Age is not null && Answers(first) == Answers(second);
            }, "a stores and hits again once Redis is back");
            Assert.Equal("Healthy", await HealthAsync(a, "cache"));
            Assert.Single(a.Logs.Lines, line => line.Contains("Output cache store (Redis) reachable again", StringComparison.Ordinal));
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [RealComponentFact("redis-server")]
    public async Task An_eviction_redis_could_not_take_is_done_before_the_next_read()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartAsync(redis, "a");
        using var stored = await GetAsync(a);
        using (var hit = await GetAsync(a))
        {
            Assert.NotNull(hit.Headers.Age);
        }

        // Redis stops answering (its data kept) for long enough that the route edit's eviction times out (1 s command
        // timeout): 10 s, as noticing the edit, applying it and starting the eviction took over 3 s on a busy machine.
        await redis.CliAsync("CLIENT", "PAUSE", "10000", "ALL");
        await a.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["products"]!["Order"] = -1);
        await Eventually.HoldsAsync(() => Task.FromResult(a.Logs.Lines.Any(line => line.Contains("could not be dropped", StringComparison.Ordinal))),
            "the eviction fails while Redis is paused");
        Assert.NotEqual("0", await redis.CliAsync("EXISTS", $"gateway:cache:__MSOCT_products")); // Blocks until the pause ends.

        // The old entry is still in Redis, but the first read drops it first: the upstream answers, not the old entry.
        using var after = await GetAsync(a);
        Assert.Null(after.Headers.Age);
        Assert.True(Answers(after) > Answers(stored));
        Assert.Contains(a.Logs.Lines, line => line.Contains("could not drop were dropped", StringComparison.Ordinal));
    }

    private async Task<GatewayInstance> StartAsync(RedisServer redis, string replica) =>
        await GatewayInstance.StartAsync(Config.Path, [.. redis.GatewayArgs(), $"--Gateway:Replica={replica}"]);

    private static async Task<HttpResponseMessage> GetAsync(GatewayInstance gateway, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Products);
        request.Headers.Host = Host;
        configure?.Invoke(request);
        return await gateway.Public.SendAsync(request);
    }

    private static long Answers(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("X-Upstream-Answers").Single(), CultureInfo.InvariantCulture);

    private static async Task<double> CacheResultAsync(GatewayInstance gateway, string result)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(gateway);
        return metrics.Sum("gateway_cache_requests_total", labels => labels["route"] == "products" && labels["result"] == result);
    }

    private static async Task<double> UpstreamCallsAsync(GatewayInstance gateway)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(gateway);
        return metrics.Sum("gateway_upstream_duration_seconds_count", labels => labels["route"] == "products");
    }

    private static async Task<double> ResponsesAsync(GatewayInstance gateway, string statusClass)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(gateway);
        return metrics.Sum("gateway_responses_total", labels => labels["class"] == statusClass);
    }

    private static async Task<string?> HealthAsync(GatewayInstance gateway, string check)
    {
        var (_, report) = await gateway.HealthReportAsync();
        return report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();
    }
}
