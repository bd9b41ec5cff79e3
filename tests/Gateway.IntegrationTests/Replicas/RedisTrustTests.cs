using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Gateway.IntegrationTests.Replicas;

/// <summary>
/// Whoever can write to the gateway's Redis, with redis-cli alone, as issue 24 finding 4 did: what the gateway reads
/// back is checked (an HMAC made with Store:IntegrityKey, which is not in Redis), and what fails the check or does not
/// parse is skipped, logged once and counted, never applied and never a 500. Two gateways with their own key prefix
/// share one Redis without seeing each other's state.
/// </summary>
public sealed class RedisTrustTests : RootConfigTest
{
    private const string Rejected = "gateway_store_rejected_entries_total";
    private const string Host = "gateway.test";

    [RealComponentFact("redis-server")]
    public async Task A_maintenance_override_written_into_redis_by_someone_else_is_not_applied_and_is_counted_once()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = await StartAsync(redis, "a");
        Assert.Equal(200, await gateway.Public.StatusAsync("/api/users/1"));

        // What an attacker computes offline from the public config: the digest the override must name, then a window
        // for every route with a day's Retry-After. Written as today's gateway wrote it, and with a made-up tag.
        var forged = ForgedOverride(Config.Read());
        foreach (var value in new[] { forged, $"s1.{new string('A', 43)}.{forged}", $"s1.{new string('!', 43)}.{forged}", "not json at all" })
        {
            var since = DateTimeOffset.UtcNow;
            await redis.CliAsync("SET", "gateway:maintenance:override", value);
            await redis.CliAsync("PUBLISH", "gateway:changes", "maintenance");
            await ReconciledSinceAsync(redis, "gateway:", "a", since);
            Assert.Equal(200, await gateway.Public.StatusAsync("/api/users/1"));
        }

        Assert.Equal(4, await RejectedAsync(gateway, "maintenance"));
        // Read at every reconcile (5 a second here), logged once per value.
        Assert.Equal(4, gateway.Logs.Lines.Count(line => line.Contains("gateway:maintenance:override", StringComparison.Ordinal) && line.Contains("ignored", StringComparison.Ordinal)));

        // The gateway's own change still works, and replaces what was there.
        using (var put = await gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{"enabled":true,"message":"upgrading","retryAfterSeconds":30}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(503, await gateway.Public.StatusAsync("/api/users/1"));
    }

    [RealComponentFact("redis-server")]
    public async Task Forged_and_unreadable_audit_entries_are_left_out_of_the_audit_which_still_answers()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = await StartAsync(redis, "a");
        using (var end = await gateway.AdminAsync(HttpMethod.Delete, "/admin/maintenance"))
        {
            Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        }

        var real = await redis.CliAsync("LINDEX", "gateway:audit", "0");
        var forged = JsonSerializer.Serialize(new
        {
            time = DateTimeOffset.UtcNow,
            replica = "a",
            key = "Admin:AdminKeys:0",
            action = "maintenance.set",
            change = new { enabled = true, message = "forged" },
        }, JsonSerializerOptions.Web);
        await redis.CliAsync("LPUSH", "gateway:audit", forged);
        await redis.CliAsync("LPUSH", "gateway:audit", "not json");
        await redis.CliAsync("LPUSH", "gateway:audit", $"s1.{new string('!', 43)}.{forged}"); // Not even base64 where the tag goes.
        // A real entry's text with one word changed (a replica's name), its tag kept.
        await redis.CliAsync("LPUSH", "gateway:audit", real.Replace("\"replica\":\"a\"", "\"replica\":\"z\"", StringComparison.Ordinal));

        for (var i = 0; i < 3; i++)
        {
            using var audit = await gateway.AdminAsync(HttpMethod.Get, "/admin/audit", GatewayInstance.ReadOnlyKey);
            Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
            var entries = (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray().ToList();
            var entry = Assert.Single(entries);
            Assert.Equal("maintenance.end", entry.GetProperty("action").GetString());
            Assert.Equal("a", entry.GetProperty("replica").GetString());
        }

        Assert.Equal(4, await RejectedAsync(gateway, "audit"));
        Assert.Equal(4, gateway.Logs.Lines.Count(line => line.Contains("gateway:audit", StringComparison.Ordinal) && line.Contains("ignored", StringComparison.Ordinal)));
    }

    [RealComponentFact("redis-server")]
    public async Task A_cached_answer_rewritten_in_redis_is_a_miss_answered_by_the_upstream()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = await StartAsync(redis, "a");
        using var stored = await GetProductsAsync(gateway);
        var original = await stored.Content.ReadAsStringAsync();
        Assert.Contains("Pixel 9 Phone", original, StringComparison.Ordinal);

        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var database = connection.GetDatabase();
            var key = (await redis.CacheEntriesAsync()).Single();
            var value = (byte[])(await database.StringGetAsync(key))!;
            var tampered = Replace(value, "Pixel 9 Phone"u8, "Pwned 9 Phone"u8);
            Assert.True(await database.StringSetAsync(key, tampered, keepTtl: true));
        }

        using var after = await GetProductsAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(original, await after.Content.ReadAsStringAsync());
        Assert.Null(after.Headers.Age);
        Assert.True(Answers(after) > Answers(stored), "the upstream answered");
        Assert.Equal(1, await RejectedAsync(gateway, "cache"));

        // The upstream's answer replaced the tampered one: the next request is a hit again.
        using var hit = await GetProductsAsync(gateway);
        Assert.NotNull(hit.Headers.Age);
        Assert.Equal(Answers(after), Answers(hit));
    }

    [RealComponentFact("redis-server")]
    public async Task Two_gateways_with_their_own_key_prefix_share_one_redis_without_sharing_state()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var blue = await StartAsync(redis, "blue", "--Store:Redis:KeyPrefix=blue:");
        await using var green = await StartAsync(redis, "green", "--Store:Redis:KeyPrefix=green:");

        // Maintenance set on blue: blue answers 503, green keeps serving after it reconciled since.
        var since = DateTimeOffset.UtcNow;
        using (var put = await blue.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{"enabled":true,"routes":["users-api"],"retryAfterSeconds":30}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await ReconciledSinceAsync(redis, "green:", "green", since);
        Assert.Equal(503, await blue.Public.StatusAsync("/api/users/1"));
        Assert.Equal(200, await green.Public.StatusAsync("/api/users/1"));

        // The audit: blue's change is blue's.
        Assert.Single(await AuditAsync(blue));
        Assert.Empty(await AuditAsync(green));

        // Rate limits: blue's quota used up (the search policy allows 10), green's untouched.
        var blueStatuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            blueStatuses.Add(await blue.Public.StatusAsync("/api/search?q=phones"));
        }

        Assert.Equal(429, blueStatuses[^1]);
        Assert.Equal(200, await green.Public.StatusAsync("/api/search?q=phones"));

        // The cache: blue's stored answer is not green's hit.
        using (var stored = await GetProductsAsync(blue))
        using (var hit = await GetProductsAsync(blue))
        {
            Assert.NotNull(hit.Headers.Age);
        }

        using (var miss = await GetProductsAsync(green))
        {
            Assert.Null(miss.Headers.Age);
        }

        await redis.CacheEntriesAsync("blue:");
        await redis.CacheEntriesAsync("green:");

        // Every key either wrote is under its prefix (rate limits: the RedisRateLimiting package's rl:<kind>:{<key>}).
        var keys = (await redis.CliAsync("--scan")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Matches("^(blue:|green:|rl:[a-z]+:\\{(blue|green):ratelimit:)", key));
        Assert.Contains(keys, key => key.StartsWith("blue:cache:", StringComparison.Ordinal));
        Assert.Contains(keys, key => key.StartsWith("green:cache:", StringComparison.Ordinal));
        Assert.Contains(keys, key => key.StartsWith("rl:", StringComparison.Ordinal) && key.Contains("{blue:ratelimit:search:", StringComparison.Ordinal));
        Assert.Contains("blue:maintenance:override", keys);
    }

    [RealComponentFact("redis-server")]
    public async Task A_redis_user_limited_to_the_gateways_keys_is_enough()
    {
        await using var redis = await RedisServer.StartAsync();
        // The ACL docs/security/redis.md gives: the prefix's keys, the rate limiter's rl:*{prefix…}, the change channel.
        Assert.Equal("OK", await redis.CliAsync("ACL", "SETUSER", "gw", "on", ">gw-password", "~shop:*", "~rl:*{shop:*", "&shop:changes", "+@all", "-@dangerous"));
        Assert.Equal("OK", await redis.CliAsync("ACL", "SETUSER", "default", "off"));
        await using var gateway = await GatewayInstance.StartAsync(Config.Path,
        [
            $"--Store:Redis:ConnectionString={redis.ConnectionString},user=gw,password=gw-password", $"--Store:IntegrityKey={RedisServer.IntegrityKey}",
            "--Store:Redis:KeyPrefix=shop:", "--Store:ReconcileInterval=00:00:00.200",
        ]);

        using (var put = await gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{"enabled":true,"routes":["users-api"],"retryAfterSeconds":30}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(503, await gateway.Public.StatusAsync("/api/users/1"));
        Assert.Single(await AuditAsync(gateway));
        var statuses = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add(await gateway.Public.StatusAsync("/api/search?q=phones"));
        }

        Assert.Equal([.. Enumerable.Repeat(200, 10), 429], statuses);
        using (var stored = await GetProductsAsync(gateway))
        using (var hit = await GetProductsAsync(gateway))
        {
            Assert.NotNull(hit.Headers.Age);
        }

        var (_, health) = await gateway.HealthReportAsync();
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("cache").GetProperty("status").GetString());
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("NOPERM", StringComparison.Ordinal));

        // And no more than enough: the user cannot touch another gateway's keys.
        await using var asGateway = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},user=gw,password=gw-password");
        var refused = await Assert.ThrowsAsync<RedisServerException>(() => asGateway.GetDatabase().StringSetAsync("gateway:maintenance:override", "x"));
        Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
    }

    private Task<GatewayInstance> StartAsync(RedisServer redis, string replica, params string[] extra) =>
        GatewayInstance.StartAsync(Config.Path, [.. redis.GatewayArgs(), $"--Gateway:Replica={replica}", "--Store:ReconcileInterval=00:00:00.200", .. extra]);

    /// <summary>
    /// The override an attacker writes: every route, a day's Retry-After, and the digest of the file's Maintenance
    /// section the gateway compares it with (the first 12 hex digits of a SHA-256 of its window fields).
    /// </summary>
    private static string ForgedOverride(System.Text.Json.Nodes.JsonObject config)
    {
        var section = config["Maintenance"]!;
        var basedOn = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new
        {
            Enabled = section["Enabled"]!.GetValue<bool>(),
            Routes = section["Routes"]!.AsArray().Select(route => route!.GetValue<string>()).ToArray(),
            Message = section["Message"]!.GetValue<string>(),
            RetryAfterSeconds = section["RetryAfterSeconds"]!.GetValue<int>(),
            From = (DateTimeOffset?)null,
            Until = (DateTimeOffset?)null,
        })), 0, 12);
        return JsonSerializer.Serialize(new
        {
            window = new
            {
                enabled = true,
                routes = Array.Empty<string>(),
                message = "Closed. Call +1 555 0100.",
                retryAfterSeconds = 86400,
                from = (DateTimeOffset?)null,
                until = (DateTimeOffset?)null,
                source = "admin",
                changedAt = DateTimeOffset.UtcNow,
            },
            basedOn,
        }, JsonSerializerOptions.Web);
    }

    /// <summary>Waits until the replica published its counts twice after <paramref name="since"/>: a whole reconcile ran since.</summary>
    private static Task ReconciledSinceAsync(RedisServer redis, string prefix, string replica, DateTimeOffset since) =>
        Eventually.HoldsAsync(async () =>
        {
            var published = await redis.CliAsync("HGET", $"{prefix}replicas", replica);
            var json = published.IndexOf('{', StringComparison.Ordinal) is var start and >= 0 ? published[start..] : "";
            return json.Length > 0 && JsonDocument.Parse(json).RootElement.GetProperty("at").GetDateTimeOffset() > since.AddMilliseconds(250);
        }, $"replica {replica} reconciled since {since:O}");

    private static async Task<List<JsonElement>> AuditAsync(GatewayInstance gateway)
    {
        using var audit = await gateway.AdminAsync(HttpMethod.Get, "/admin/audit", GatewayInstance.ReadOnlyKey);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        return (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray().ToList();
    }

    private static async Task<double> RejectedAsync(GatewayInstance gateway, string kind)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(gateway);
        return metrics.Sum(Rejected, labels => labels["kind"] == kind);
    }

    private static async Task<HttpResponseMessage> GetProductsAsync(GatewayInstance gateway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products");
        request.Headers.Host = Host;
        return await gateway.Public.SendAsync(request);
    }

    private static long Answers(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("X-Upstream-Answers").Single(), CultureInfo.InvariantCulture);

    private static byte[] Replace(byte[] value, ReadOnlySpan<byte> find, ReadOnlySpan<byte> with)
    {
        var at = value.AsSpan().IndexOf(find);
        Assert.True(at >= 0, $"the stored entry holds the answer's text: {Encoding.UTF8.GetString(value)}");
        var copy = value.ToArray();
        with.CopyTo(copy.AsSpan(at));
        return copy;
    }
}
