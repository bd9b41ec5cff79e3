using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Replicas;

/// <summary>
/// The Redis ACL docker-compose.yml (and deploy/k8s, which tests/Deploy.Tests holds to the same rules) gives the gateway:
/// a real redis-server started with exactly those arguments, the gateway logged in as the ACL user. Everything the gateway
/// does in Redis (shared store and its channel, output cache with its scripts and tag eviction, rate limits of every kind)
/// works, Redis logs no denied command, and the user can neither touch other keys nor run admin or dangerous commands.
/// </summary>
public sealed partial class RedisAclTests : RootConfigTest
{
    private const string Password = "acl-test-gateway-password";
    private const string Inspector = "acl-test-inspector";

    [RealComponentFact("redis-server")]
    public async Task The_gateway_does_all_it_does_in_redis_as_the_acl_user_and_nothing_more()
    {
        var port = FreePort.Next();
        await using var redis = new ServerProcess("redis-server",
            ["--port", $"{port}", "--bind", "127.0.0.1", .. ComposeRedisArguments(), "--user", Inspector, "on", $">{Inspector}", "~*", "&*", "+@all"]);
        await Eventually.HoldsAsync(async () => await CliAsync(port, Inspector, Inspector, "PING") == "PONG", "redis-server answers the inspector");
        Config.Edit(AddPolicyRoutes);

        await using (var gateway = await GatewayInstance.StartAsync(Config.Path, $"--Store:Redis:ConnectionString={ComposeConnectionString(port)}", $"--Store:IntegrityKey={RedisServer.IntegrityKey}"))
        {
            await Eventually.HoldsAsync(async () => (await gateway.HealthReportAsync()).Report.GetProperty("status").GetString() == "Healthy", "the gateway reaches Redis");
            using (var put = await gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{"enabled":true,"routes":["chaos"],"message":"acl","retryAfterSeconds":30}"""))
            {
                Assert.True(put.IsSuccessStatusCode, $"PUT /admin/maintenance: {(int)put.StatusCode}");
            }

            await Eventually.HoldsAsync(async () => await gateway.Public.StatusAsync("/chaos/status/200") == 503, "maintenance applies");
            using (var end = await gateway.AdminAsync(HttpMethod.Delete, "/admin/maintenance"))
            {
                Assert.True(end.IsSuccessStatusCode, $"DELETE /admin/maintenance: {(int)end.StatusCode}");
            }

            using (var audit = await gateway.AdminAsync(HttpMethod.Get, "/admin/audit"))
            {
                Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
            }

            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(200, await gateway.Public.StatusAsync("/api/products"));
            }

            Assert.Contains(429, await StatusesAsync(gateway, "/api/search?q=x", 12));
            foreach (var path in PolicyPaths.Values)
            {
                await StatusesAsync(gateway, path, 3);
            }

            // A changed route drops its cached answers by tag (the cache's eviction script).
            await gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["products"]!["Timeout"] = "00:00:09");
            await Eventually.HoldsAsync(
                () => Task.FromResult(gateway.Logs.Lines.Any(line => line.Contains("Route products changed: its cached answers were dropped", StringComparison.Ordinal))),
                "the products route's cached answers are evicted");
        }

        var keys = (await CliAsync(port, Inspector, Inspector, "--scan")).Split('\n');
        Assert.Contains(keys, key => key.StartsWith("gateway:audit", StringComparison.Ordinal));
        Assert.Contains(keys, key => key.StartsWith("gateway:cache:", StringComparison.Ordinal));
        foreach (var kind in new[] { "fw", "sw", "tb", "cc" })
        {
            Assert.Contains(keys, key => key.StartsWith($"rl:{kind}:{{gateway:ratelimit:", StringComparison.Ordinal));
        }

        var denied = await CliAsync(port, Inspector, Inspector, "ACL", "LOG");
        Assert.True(denied.Length == 0, $"Redis denied the gateway: {denied.ReplaceLineEndings(" ")}");

        Assert.StartsWith("NOAUTH", await CliAsync(port, null, null, "PING"), StringComparison.Ordinal);
        Assert.StartsWith("NOPERM", await CliAsync(port, "gateway", Password, "SET", "other:key", "1"), StringComparison.Ordinal);
        Assert.StartsWith("NOPERM", await CliAsync(port, "gateway", Password, "PUBLISH", "other-channel", "1"), StringComparison.Ordinal);
        foreach (var command in new[] { "FLUSHALL", "CONFIG GET *", "ACL LIST", "CLIENT KILL ID 1", "SHUTDOWN", "KEYS *", "MODULE LIST", "SWAPDB 0 1" })
        {
            Assert.StartsWith("NOPERM", await CliAsync(port, "gateway", Password, command.Split(' ')), StringComparison.Ordinal);
        }
    }

    private static readonly Dictionary<string, string> PolicyPaths = new(StringComparer.Ordinal)
    {
        ["acl-sliding"] = "/api/users/2",
        ["acl-bucket"] = "/api/users/3",
        ["acl-concurrency"] = "/api/users/4",
    };

    private static void AddPolicyRoutes(JsonObject json)
    {
        var policies = json["RateLimiting"]!["Policies"]!.AsObject();
        policies["acl-sliding"] = JsonNode.Parse("""{ "Kind": "SlidingWindow", "PermitLimit": 2, "Window": "00:00:30", "SegmentsPerWindow": 3 }""");
        policies["acl-bucket"] = JsonNode.Parse("""{ "Kind": "TokenBucket", "TokenLimit": 2, "TokensPerPeriod": 1, "ReplenishmentPeriod": "00:00:20" }""");
        policies["acl-concurrency"] = JsonNode.Parse("""{ "Kind": "Concurrency", "PermitLimit": 1 }""");
        foreach (var (policy, path) in PolicyPaths)
        {
            json["ReverseProxy"]!["Routes"]![policy] = new JsonObject
            {
                ["ClusterId"] = "users",
                ["RateLimiterPolicy"] = policy,
                ["Match"] = new JsonObject { ["Path"] = path },
            };
        }
    }

    /// <summary>The redis service's arguments after <c>redis-server</c> in docker-compose.yml, its password replaced by the test's.</summary>
    private static List<string> ComposeRedisArguments()
    {
        var compose = Repository.Read("docker-compose.yml");
        var redis = compose[compose.IndexOf("\n  redis:\n", StringComparison.Ordinal)..];
        var command = RedisCommand().Match(redis);
        Assert.True(command.Success, "docker-compose.yml: the redis service has no command: [\"redis-server\", ...]");
        var arguments = JsonSerializer.Deserialize<List<string>>(command.Groups["list"].Value)!;
        Assert.Equal("redis-server", arguments[0]);
        var password = arguments.FindIndex(argument => argument.StartsWith('>'));
        Assert.True(password > 0, "docker-compose.yml: the redis command sets no ACL user password (>...)");
        arguments[password] = $">{Password}";
        return arguments[1..];
    }

    /// <summary>The gateway's connection string in docker-compose.yml, pointed at the test's Redis with the test's password.</summary>
    private static string ComposeConnectionString(int port)
    {
        var compose = Repository.Read("docker-compose.yml");
        var line = ConnectionString().Match(compose);
        Assert.True(line.Success, "docker-compose.yml sets no Store__Redis__ConnectionString");
        var options = line.Groups["value"].Value.Trim().Split(',').Skip(1)
            .Select(option => option.StartsWith("password=", StringComparison.Ordinal) ? $"password={Password}" : option.Replace("$$", "$", StringComparison.Ordinal));
        return string.Join(',', [$"127.0.0.1:{port}", .. options]);
    }

    private static async Task<List<int>> StatusesAsync(GatewayInstance gateway, string path, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add(await gateway.Public.StatusAsync(path));
        }

        return statuses;
    }

    private static async Task<string> CliAsync(int port, string? user, string? password, params string[] command)
    {
        string[] login = user is null ? [] : ["--user", user, "--pass", password!, "--no-auth-warning"];
        await using var cli = new ServerProcess("redis-cli", ["-p", $"{port}", .. login, .. command]);
        await cli.WaitForExitAsync();
        return cli.Output.Trim();
    }

    [GeneratedRegex(@"Store__Redis__ConnectionString:\s*(?<value>[^\n]+)")]
    private static partial Regex ConnectionString();

    [GeneratedRegex("""command:\s*(?<list>\[[^\]]*"redis-server"[^\]]*\])""", RegexOptions.Singleline)]
    private static partial Regex RedisCommand();
}
