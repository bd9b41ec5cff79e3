using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 24, finding 1: an API key names a client only when it is one of <c>Clients:ApiKeys</c> (stored as SHA-256
/// digests); an invented key neither dodges a rate limit nor opens a route that requires a key.
/// </summary>
public sealed class ClientKeyTests : PerTestGateway
{
    /// <summary>The root config's demo client (Clients:ApiKeys:demo-client).</summary>
    private const string DemoClientKey = "demo-client-key";

    // printf %s other-client-key | sha256sum
    private const string OtherClientKey = "other-client-key";
    private const string OtherClientDigest = "bf5be54b2da1c122a6b3fe136b71e8fe754fcb55861f3d443e9ad5092d6aa210";

    [Fact]
    public async Task Fifteen_invented_keys_get_the_one_quota_of_their_address()
    {
        var statuses = new List<int>();
        for (var i = 1; i <= 15; i++)
        {
            using var response = await SearchAsync(apiKey: $"k{i}");
            statuses.Add((int)response.StatusCode);
            if (i > 10)
            {
                await ProblemAssert.IsGatewayProblemAsync(response, 429, "ratelimit");
            }
        }

        Assert.Equal([.. Enumerable.Repeat(200, 10), .. Enumerable.Repeat(429, 5)], statuses);
    }

    [Fact]
    public async Task A_configured_key_gets_its_own_quota_and_an_invented_one_counts_as_the_address()
    {
        await ExhaustAsync(apiKey: null);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SearchAsync(apiKey: "invented")).StatusCode);

        // The demo client is a client of its own, with the whole quota.
        await ExhaustAsync(apiKey: DemoClientKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SearchAsync(apiKey: DemoClientKey)).StatusCode);
        // The access log names a configured client (the 429 is logged: the root config logs from 400).
        await Eventually.HoldsAsync(
            () => Task.FromResult(Gateway.Logs.Lines.Any(line => line.Contains(" 429 ", StringComparison.Ordinal) && line.Contains("client=key:demo-client ", StringComparison.Ordinal))),
            "an access-log line names the demo client", seconds: 5);

        // A key added by an edit is another client at once; comparison is by the digest, so the key's case matters.
        await Gateway.EditConfigAsync(Config, json => TestConfig.Set(json, ["Clients", "ApiKeys", "other-client", "Sha256"], OtherClientDigest));
        Assert.Equal(HttpStatusCode.OK, (await SearchAsync(apiKey: OtherClientKey)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SearchAsync(apiKey: OtherClientKey.ToUpperInvariant())).StatusCode);
    }

    [Fact]
    public async Task The_traffic_generators_keys_are_configured_clients_of_their_own()
    {
        var scenario = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "src", "Samples.Traffic", "scenarios", "default.json")))!;
        var keys = scenario.AsObject().SelectMany(section => section.Value is JsonArray entries ? entries.OfType<JsonObject>() : [])
            .SelectMany(entry => entry["requests"] is JsonArray requests ? [entry, .. requests.OfType<JsonObject>()] : new[] { entry })
            .Select(entry => entry["headers"]?["X-Api-Key"]?.GetValue<string>())
            .OfType<string>()
            .Distinct()
            .ToList();
        Assert.NotEmpty(keys);

        await ExhaustAsync(apiKey: null);
        foreach (var key in keys)
        {
            using var response = await SearchAsync(apiKey: key);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"the scenario's key '{key}' is not a configured client: it shares the address's spent quota");
        }
    }

    [Fact]
    public async Task A_route_that_requires_a_key_answers_401_without_a_configured_one()
    {
        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["search"]!["AuthorizationPolicy"] = "api-key");

        using (var missing = await SearchAsync(apiKey: null))
        {
            var problem = await ProblemAssert.IsGatewayProblemAsync(missing, 401, "auth");
            Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("ApiKey header=\"X-Api-Key\"", missing.Headers.WwwAuthenticate.ToString());
        }

        using (var unknown = await SearchAsync(apiKey: "invented"))
        {
            var problem = await ProblemAssert.IsGatewayProblemAsync(unknown, 401, "auth");
            Assert.Contains("not a key this gateway knows", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("invented", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A valid token is not a key.
        var bob = await Tokens.LoginAsync(Client, "bob");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SearchAsync(apiKey: null, token: bob)).StatusCode);

        using var admitted = await SearchAsync(apiKey: DemoClientKey);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        // A client cannot make the gateway write a log line per refused key beyond its access-log line.
        Assert.DoesNotContain(Gateway.Logs.Lines, line => line.Contains("ApiKeyAuthenticationHandler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_partition_gauge_counts_clients_and_idle_partitions_go_away()
    {
        // Every address a trusted proxy names is a client (a partition); a 1 s window lets them go idle soon.
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["Gateway"]!["TrustedProxies"] = new JsonArray("127.0.0.1");
            json["RateLimiting"]!["Policies"]!["search"]!["Window"] = "00:00:01";
        });
        const int Clients = 40;
        for (var i = 0; i < Clients; i++)
        {
            using var response = await SearchAsync(apiKey: $"invented-{i}", forwardedFor: $"198.51.100.{i + 1}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(Clients, await PartitionsAsync());

        // The framework's heartbeat disposes a partition idle for more than 10 s; nothing keeps a count of its own.
        double last = Clients;
        await Eventually.HoldsAsync(async () => (last = await PartitionsAsync()) == 0, () => $"the idle partitions expire (last seen {last})", seconds: 30);
    }

    private async Task<double> PartitionsAsync() =>
        (await MetricsScrape.ReadAsync(Gateway)).Samples.Sum("gateway_ratelimit_partitions", labels => labels["policy"] == "search");

    private async Task ExhaustAsync(string? apiKey)
    {
        for (var i = 0; i < 10; i++)
        {
            using var response = await SearchAsync(apiKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private Task<HttpResponseMessage> SearchAsync(string? apiKey, string? forwardedFor = null, string? token = null) =>
        Searches.SendAsync(Client, apiKey, forwardedFor, token);
}
