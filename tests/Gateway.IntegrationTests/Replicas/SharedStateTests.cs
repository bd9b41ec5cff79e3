using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests.Replicas;

/// <summary>
/// Two or three gateways (each its own host, listeners, metrics and store client) sharing one real redis-server, as
/// replicas behind a Service do: admin changes, the audit and the status numbers are the whole gateway's.
/// </summary>
public sealed class SharedStateTests(ITestOutputHelper output) : RootConfigTest
{
    private const string Enable = """{"enabled":true,"message":"upgrading","retryAfterSeconds":30}""";
    [RealComponentFact("redis-server")]
    public async Task Maintenance_set_on_one_replica_reaches_the_others_by_message_survives_a_restart_and_ends_from_any()
    {
        await using var redis = await RedisServer.StartAsync();
        // A reconcile interval of an hour: only the published message can carry the change in time.
        await using var a = await StartAsync(redis, "a", "--Store:ReconcileInterval=01:00:00");
        var b = await StartAsync(redis, "b", "--Store:ReconcileInterval=01:00:00");
        await using var c = await StartAsync(redis, "c", "--Store:ReconcileInterval=01:00:00");
        try
        {
            Assert.Equal(200, await a.Public.StatusAsync("/api/users/1"));
            using (var put = await a.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: Enable))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            var sincePut = System.Diagnostics.Stopwatch.StartNew();
            await Eventually.HoldsAsync(async () => await b.Public.StatusAsync("/api/users/1") == 503 && await c.Public.StatusAsync("/api/users/1") == 503,
                "b and c answer 503 after the PUT on a", seconds: 2);
            output.WriteLine($"b and c in maintenance {sincePut.Elapsed.TotalMilliseconds:F0} ms after a's answer to the PUT (reported, not asserted)");
            using (var onB = await b.Public.GetAsync(new Uri("/api/users/1", UriKind.Relative)))
            {
                await ProblemAssert.IsGatewayProblemAsync(onB, 503, "maintenance");
                Assert.Equal(TimeSpan.FromSeconds(30), onB.Headers.RetryAfter?.Delta);
            }

            // A restarted replica reads the window before it serves: no wait.
            await b.DisposeAsync();
            b = await StartAsync(redis, "b", "--Store:ReconcileInterval=01:00:00");
            Assert.Equal(503, await b.Public.StatusAsync("/api/users/1"));

            using (var end = await b.AdminAsync(HttpMethod.Delete, "/admin/maintenance"))
            {
                Assert.Equal(HttpStatusCode.OK, end.StatusCode);
            }

            await Eventually.HoldsAsync(async () => await a.Public.StatusAsync("/api/users/1") == 200 && await c.Public.StatusAsync("/api/users/1") == 200,
                "a and c serve again after the DELETE on b", seconds: 2);

            // The audit: each change once, newest first, with replica and key name, never the key.
            using var audit = await c.AdminAsync(HttpMethod.Get, "/admin/audit", GatewayInstance.ReadOnlyKey);
            var text = await audit.Content.ReadAsStringAsync();
            Assert.DoesNotContain(GatewayInstance.AdminKey, text, StringComparison.Ordinal);
            var entries = JsonDocument.Parse(text).RootElement.GetProperty("entries").EnumerateArray().ToList();
            Assert.Equal(["maintenance.end", "maintenance.set"], entries.Select(entry => entry.GetProperty("action").GetString()));
            Assert.Equal(["b", "a"], entries.Select(entry => entry.GetProperty("replica").GetString()));
            Assert.All(entries, entry => Assert.Equal("demo-admin", entry.GetProperty("key").GetString()));
            Assert.True(entries[1].GetProperty("change").GetProperty("enabled").GetBoolean());
            Assert.Equal("upgrading", entries[1].GetProperty("change").GetProperty("message").GetString());
        }
        finally
        {
            await b.DisposeAsync();
        }
    }

    [RealComponentFact("redis-server")]
    public async Task A_window_set_before_every_replica_restarted_is_still_in_force_after()
    {
        await using var redis = await RedisServer.StartAsync();
        await using (var a = await StartAsync(redis, "a"))
        {
            using var put = await a.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: Enable);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await using var newA = await StartAsync(redis, "a");
        await using var newB = await StartAsync(redis, "b");
        Assert.Equal(503, await newA.Public.StatusAsync("/api/users/1"));
        Assert.Equal(503, await newB.Public.StatusAsync("/api/users/1"));
    }

    [RealComponentFact("redis-server")]
    public async Task A_change_whose_message_was_lost_arrives_with_the_next_reconcile()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartAsync(redis, "a", "--Store:ReconcileInterval=00:00:00.200");
        await using var b = await StartAsync(redis, "b", "--Store:ReconcileInterval=00:00:00.200");
        using (var put = await a.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: Enable))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var enabled = await redis.CliAsync("GET", "gateway:maintenance:override");
        using (var end = await a.AdminAsync(HttpMethod.Delete, "/admin/maintenance"))
        {
            Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        }

        await Eventually.HoldsAsync(async () => await b.Public.StatusAsync("/api/users/1") == 200, "b follows a", seconds: 2);

        // The enabled window written back straight into Redis with no message, as if a PUT's message were lost.
        await redis.CliAsync("SET", "gateway:maintenance:override", enabled);
        await Eventually.HoldsAsync(async () => await a.Public.StatusAsync("/api/users/1") == 503 && await b.Public.StatusAsync("/api/users/1") == 503,
            "both replicas read the window at their next reconcile", seconds: 2);

        // And a store that lost the window (Redis restarted empty) gets it back from the replicas that hold it.
        await redis.CliAsync("DEL", "gateway:maintenance:override");
        await Eventually.HoldsAsync(async () => await redis.CliAsync("EXISTS", "gateway:maintenance:override") == "1", "the window is written back", seconds: 2);
        Assert.Equal(503, await b.Public.StatusAsync("/api/users/1"));
    }

    [RealComponentFact("redis-server")]
    public async Task Without_the_store_replicas_keep_the_last_state_say_degraded_once_and_heal_when_it_returns()
    {
        var redis = await RedisServer.StartAsync();
        var port = redis.Port;
        await using var a = await StartAsync(redis, "a", "--Store:ReconcileInterval=00:00:00.200");
        await using var b = await StartAsync(redis, "b", "--Store:ReconcileInterval=00:00:00.200");
        try
        {
            using (var put = await a.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: Enable))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            await Eventually.HoldsAsync(async () => await b.Public.StatusAsync("/api/users/1") == 503, "b follows a", seconds: 2);
            await redis.DisposeAsync();

            foreach (var replica in new[] { a, b })
            {
                await Eventually.HoldsAsync(async () => await StoreHealthAsync(replica) == "Degraded", "healthz reports the store Degraded");
                var (status, report) = await replica.HealthReportAsync();
                Assert.Equal(HttpStatusCode.OK, status); // Degraded still serves: probes keep the pod in the Service.
                Assert.Contains("unreachable", report.GetProperty("checks").GetProperty("store").GetProperty("description").GetString(), StringComparison.Ordinal);
                Assert.Equal(503, await replica.Public.StatusAsync("/api/users/1"));
            }

            // A change now would reach one replica only: refused, and nothing changes.
            using (var refused = await b.AdminAsync(HttpMethod.Delete, "/admin/maintenance"))
            {
                await ProblemAssert.IsGatewayProblemAsync(refused, 503, "gateway");
                Assert.NotNull(refused.Headers.RetryAfter);
            }

            Assert.Equal(503, await b.Public.StatusAsync("/api/users/1"));
            // Each status read tries the store and fails: one warning per outage, not per attempt.
            for (var i = 0; i < 5; i++)
            {
                using var status = await a.AdminAsync(HttpMethod.Get, "/admin/status", GatewayInstance.ReadOnlyKey);
                var body = await status.Content.ReadFromJsonAsync<JsonElement>();
                Assert.False(body.GetProperty("replicas").GetProperty("complete").GetBoolean());
                Assert.False(body.GetProperty("store").GetProperty("reachable").GetBoolean());
            }

            Assert.Equal(1, Warnings(a));

            // Redis comes back empty (no persistence): the replicas write back what they knew, and serve it.
            redis = await RedisServer.StartAsync(port);
            foreach (var replica in new[] { a, b })
            {
                await Eventually.HoldsAsync(async () => await StoreHealthAsync(replica) == "Healthy", "healthz reports the store Healthy again");
                // Logged just after the outage is cleared, which is what healthz reads.
                await Eventually.HoldsAsync(() => Task.FromResult(replica.Logs.Lines.Any(line => line.Contains("reachable again", StringComparison.Ordinal))),
                    "one line says the store is reachable again", seconds: 2);
            }

            Assert.Equal(1, Warnings(a));
            Assert.Equal(503, await a.Public.StatusAsync("/api/users/1"));
            using (var end = await b.AdminAsync(HttpMethod.Delete, "/admin/maintenance"))
            {
                Assert.Equal(HttpStatusCode.OK, end.StatusCode);
            }

            await Eventually.HoldsAsync(async () => await a.Public.StatusAsync("/api/users/1") == 200, "a serves after the DELETE on b", seconds: 2);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [RealComponentFact("redis-server")]
    public async Task The_status_numbers_are_the_sum_of_every_replicas_and_name_them()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartAsync(redis, "a", "--Store:ReconcileInterval=00:00:00.200");
        await using var b = await StartAsync(redis, "b", "--Store:ReconcileInterval=00:00:00.200");
        var counted = new Dictionary<string, int>();
        foreach (var (replica, path, times) in new[] { (a, "/api/users/1", 7), (b, "/api/users/1", 5), (b, "/no/such/route", 3) })
        {
            for (var i = 0; i < times; i++)
            {
                var status = await replica.Public.StatusAsync(path);
                counted[$"{status / 100}xx"] = counted.GetValueOrDefault($"{status / 100}xx") + 1;
            }
        }

        Assert.Equal(new Dictionary<string, int> { ["2xx"] = 12, ["4xx"] = 3 }, counted);
        foreach (var replica in new[] { a, b })
        {
            JsonElement status = default;
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await replica.AdminAsync(HttpMethod.Get, "/admin/status", GatewayInstance.ReadOnlyKey);
                status = await response.Content.ReadFromJsonAsync<JsonElement>();
                return status.GetProperty("totals").GetProperty("requests").GetDouble() == 15;
            }, () => $"the totals reach 15: {status}");
            var byClass = status.GetProperty("totals").GetProperty("byClass");
            Assert.Equal(12, byClass.GetProperty("2xx").GetDouble());
            Assert.Equal(3, byClass.GetProperty("4xx").GetDouble());
            var seen = status.GetProperty("replicas").GetProperty("seen").EnumerateArray()
                .ToDictionary(entry => entry.GetProperty("name").GetString()!, entry => entry.GetProperty("requests").GetDouble());
            Assert.Equal(new Dictionary<string, double> { ["a"] = 7, ["b"] = 8 }, seen);
            Assert.True(status.GetProperty("replicas").GetProperty("complete").GetBoolean());
        }
    }

    [RealComponentFact("redis-server")]
    public async Task Every_admin_answer_names_the_replica_that_gave_it()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await StartAsync(redis, "gateway-7d9f-x2", "--Store:ReconcileInterval=00:00:00.200");
        foreach (var (path, key, expected) in new[] { ("/healthz", null, 200), ("/admin/status", GatewayInstance.ReadOnlyKey, 200), ("/admin/status", null, 401), ("/admin/nothing", GatewayInstance.AdminKey, 404), ("/metrics", null, 200) })
        {
            using var response = await a.AdminAsync(HttpMethod.Get, path, key);
            Assert.Equal(expected, (int)response.StatusCode);
            Assert.Equal("gateway-7d9f-x2", Assert.Single(response.Headers.GetValues("X-Gateway-Replica")));
        }

        using var proxied = await a.Public.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        Assert.False(proxied.Headers.Contains("X-Gateway-Replica"), "the public port does not say which replica answered");
    }

    private static int Warnings(GatewayInstance replica) =>
        replica.Logs.Lines.Count(line => line.Contains("Shared store (Redis) unreachable", StringComparison.Ordinal));

    private static async Task<string?> StoreHealthAsync(GatewayInstance replica)
    {
        var (_, report) = await replica.HealthReportAsync();
        return report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString();
    }

    private Task<GatewayInstance> StartAsync(RedisServer redis, string replica, params string[] extra) =>
        GatewayInstance.StartAsync(Config.Path, [.. redis.GatewayArgs(), $"--Gateway:Replica={replica}", .. extra]);
}
