using System.Net.Http.Json;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// <c>GET /admin/status</c>'s last five minutes, kept by the gateway (5-second buckets per replica, summed): a second
/// tab, a reload or another replica's answer shows the same history; the one rate; each route's state.
/// </summary>
public sealed class StatusHistoryTests : RootConfigTest
{
    [Fact]
    public async Task The_last_five_minutes_come_from_the_gateway_so_a_second_tab_sees_the_same_history()
    {
        await using var gateway = await GatewayInstance.StartAsync(Config.Path);
        foreach (var (path, times) in new[] { ("/api/users/1", 6), ("/unreachable/x", 4), ("/no/such/route", 3) })
        {
            for (var i = 0; i < times; i++)
            {
                await gateway.Public.StatusAsync(path);
            }
        }

        var first = await HistoryTotalReachesAsync(gateway, 13);
        var totals = first.GetProperty("history").GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("byOrigin").GetProperty("upstream").GetDouble());
        Assert.Equal(4, totals.GetProperty("byOrigin").GetProperty("unreachable").GetDouble());
        Assert.Equal(3, totals.GetProperty("byOrigin").GetProperty("no_route").GetDouble());
        Assert.Equal(4, totals.GetProperty("byClass").GetProperty("5xx").GetDouble());

        // A second tab (a second request, nothing shared with the first but the gateway) reads the same buckets.
        for (var tries = 0; ; tries++)
        {
            var one = (await StatusAsync(gateway)).GetProperty("history");
            var two = (await StatusAsync(gateway)).GetProperty("history");
            if (one.GetProperty("to").GetString() == two.GetProperty("to").GetString())
            {
                Assert.Equal(one.GetProperty("buckets").GetRawText(), two.GetProperty("buckets").GetRawText());
                Assert.Equal(13, two.GetProperty("totals").GetProperty("requests").GetDouble());
                Assert.Equal(60, two.GetProperty("buckets").GetArrayLength());
                break;
            }

            Assert.True(tries < 5, "a new bucket completed between the two reads five times in a row");
        }

        // The one rate is the newest bucket (the chart's last bar) per second.
        var status = await StatusAsync(gateway);
        var newest = status.GetProperty("history").GetProperty("buckets").EnumerateArray().Last().GetProperty("requests").GetDouble();
        var rate = status.GetProperty("rate");
        Assert.Equal(5, rate.GetProperty("seconds").GetDouble());
        Assert.Equal(newest / 5, rate.GetProperty("perSecond").GetDouble(), 2);
        Assert.Equal(status.GetProperty("history").GetProperty("to").GetString(), rate.GetProperty("to").GetString());
    }

    [Fact]
    public async Task A_route_whose_answers_are_mostly_5xx_or_whose_destinations_are_all_out_is_failing_not_serving()
    {
        await using var gateway = await GatewayInstance.StartAsync(Config.Path);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(502, await gateway.Public.StatusAsync("/unreachable/x"));
            Assert.Equal(200, await gateway.Public.StatusAsync("/api/users/1"));
        }

        Dictionary<string, (string State, string Reason)> routes = [];
        await Eventually.HoldsAsync(async () =>
        {
            routes = (await StatusAsync(gateway)).GetProperty("routes").EnumerateArray().ToDictionary(
                route => route.GetProperty("id").GetString()!,
                route => (route.GetProperty("state").GetString()!, route.GetProperty("stateReason").GetString()!));
            return routes["unreachable"].State == "failing" && routes["unhealthy"].State == "failing";
        }, () => $"unreachable and unhealthy failing: {string.Join(", ", routes)}");

        Assert.Equal(("failing", "100% of 10 answers in the last minute were 5xx"), routes["unreachable"]);
        Assert.Equal(("failing", "its destination is out"), routes["unhealthy"]);
        Assert.Equal(("serving", ""), routes["users-api"]);
    }

    [RealComponentFact("redis-server")]
    public async Task Two_replicas_histories_add_up_and_a_restart_or_a_join_neither_loses_nor_doubles_an_answer()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartReplicaAsync(redis, "a");
        var b = await StartReplicaAsync(redis, "b");
        try
        {
            for (var i = 0; i < 7; i++)
            {
                await a.Public.StatusAsync("/api/users/1");
            }

            for (var i = 0; i < 5; i++)
            {
                await b.Public.StatusAsync("/api/users/1");
            }

            await HistoryTotalReachesAsync(a, 12);
            await HistoryTotalReachesAsync(b, 12);

            // b restarts (its counter from 0 again) and c joins: every read meanwhile still says 12, never more.
            await b.DisposeAsync();
            b = await StartReplicaAsync(redis, "b");
            await using var c = await StartReplicaAsync(redis, "c");
            foreach (var replica in new[] { a, b, c })
            {
                var status = await StatusAsync(replica);
                Assert.Equal(12, status.GetProperty("history").GetProperty("totals").GetProperty("requests").GetDouble());
                Assert.Equal(3, status.GetProperty("replicas").GetProperty("seen").GetArrayLength());
            }

            Assert.Equal(200, await b.Public.StatusAsync("/api/users/1"));
            await HistoryTotalReachesAsync(c, 13);
        }
        finally
        {
            await b.DisposeAsync();
        }
    }

    /// <summary>Waits until the last five minutes hold <paramref name="requests"/> answers; fails if they ever hold more.</summary>
    private static async Task<JsonElement> HistoryTotalReachesAsync(GatewayInstance gateway, double requests)
    {
        JsonElement status = default;
        await Eventually.HoldsAsync(async () =>
        {
            status = await StatusAsync(gateway);
            var total = status.GetProperty("history").GetProperty("totals").GetProperty("requests").GetDouble();
            Assert.True(total <= requests, $"{total} answers in the history, more than the {requests} sent");
            return total == requests;
        }, () => $"the history holds {requests} answers: {status.GetProperty("history").GetProperty("totals")}");
        return status;
    }

    private static async Task<JsonElement> StatusAsync(GatewayInstance gateway)
    {
        using var response = await gateway.AdminAsync(HttpMethod.Get, "/admin/status", GatewayInstance.ReadOnlyKey);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<GatewayInstance> StartReplicaAsync(RedisServer redis, string name) =>
        GatewayInstance.StartAsync(Config.Path, [.. redis.GatewayArgs(), $"--Gateway:Replica={name}", "--Store:ReconcileInterval=00:00:00.200"]);
}
