using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>429 from rate-limit policies: per client, with Retry-After and the IETF RateLimit headers, applied live.</summary>
public sealed class RateLimitingTests : PerTestGateway
{
    /// <summary>The root config's demo client (Clients:ApiKeys:demo-client).</summary>
    private const string DemoClientKey = "demo-client-key";

    [Fact]
    public async Task A_burst_of_30_searches_gets_10_200s_then_429s_with_retry_after_and_ratelimit_headers()
    {
        var statuses = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await SearchAsync();
            statuses.Add((int)response.StatusCode);
            Assert.Equal("\"search\";q=10;w=10", response.Headers.GetValues("RateLimit-Policy").Single());
            var rateLimit = response.Headers.GetValues("RateLimit").Single();
            if (i < 10)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.StartsWith($"\"search\";r={9 - i};t=", rateLimit, StringComparison.Ordinal);
            }
            else
            {
                await ProblemAssert.IsGatewayProblemAsync(response, 429, "ratelimit");
                Assert.StartsWith("\"search\";r=0;t=", rateLimit, StringComparison.Ordinal);
                var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
                Assert.True(int.TryParse(retryAfter, out var seconds) && seconds is >= 1 and <= 10, $"Retry-After '{retryAfter}'");
            }
        }

        Assert.Equal(Enumerable.Repeat(200, 10).Concat(Enumerable.Repeat(429, 20)), statuses);
    }

    [Fact]
    public async Task Clients_are_counted_apart_by_token_subject_then_configured_api_key_then_address()
    {
        await ExhaustAsync(apiKey: DemoClientKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SearchAsync(apiKey: DemoClientKey)).StatusCode);
        // A key that is not configured names nobody: the sender is its address, a client the demo client's quota is not.
        Assert.Equal(HttpStatusCode.OK, (await SearchAsync(apiKey: "client-b")).StatusCode);

        // A valid token's subject wins over the API key: bob is a fresh client although he sends the demo client's key.
        var bob = await Tokens.LoginAsync(Client, "bob");
        Assert.Equal(HttpStatusCode.OK, (await SearchAsync(apiKey: DemoClientKey, token: bob)).StatusCode);
    }

    [Fact]
    public async Task Forwarded_for_counts_only_from_a_trusted_proxy()
    {
        // Not trusted: X-Forwarded-For (and X-Real-IP) are ignored, so every newly claimed address is the same client.
        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await SearchAsync(forwardedFor: $"203.0.113.{i + 10}", realIp: $"192.0.2.{i + 1}");
            statuses.Add((int)response.StatusCode);
            ProblemAssert.NoInternals(await response.Content.ReadAsStringAsync());
            if (i >= 10)
            {
                await ProblemAssert.IsGatewayProblemAsync(response, 429, "ratelimit");
            }
        }

        Assert.Equal([.. Enumerable.Repeat(200, 10), 429, 429], statuses);

        await Gateway.EditConfigAsync(Config, json => json["Gateway"]!["TrustedProxies"] = new JsonArray("127.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, (await SearchAsync(forwardedFor: "203.0.113.100")).StatusCode);
        // The right-most untrusted hop is the client; what it wrote to the left of itself does not count.
        await ExhaustAsync(forwardedFor: "198.51.100.7, 203.0.113.4");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SearchAsync(forwardedFor: "198.51.100.8, 203.0.113.4")).StatusCode);
    }

    [Fact]
    public async Task An_edited_policy_applies_live()
    {
        await Gateway.EditConfigAsync(Config, json => json["RateLimiting"]!["Policies"]!["search"]!["PermitLimit"] = 3);
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SearchAsync();
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([200, 200, 200, 429, 429], statuses);
    }

    [Theory]
    [InlineData("""{ "Kind": "SlidingWindow", "PermitLimit": 2, "Window": "00:00:30", "SegmentsPerWindow": 3 }""")]
    [InlineData("""{ "Kind": "TokenBucket", "TokenLimit": 2, "TokensPerPeriod": 1, "ReplenishmentPeriod": "00:00:20" }""")]
    [InlineData("""{ "Kind": "FixedWindow", "PermitLimit": 2, "Window": "00:01:00" }""")]
    public async Task Every_window_kind_rejects_with_a_whole_retry_after_of_at_least_one_second(string policy)
    {
        await AttachPolicyToChaosAsync(policy);
        var statuses = new List<int>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 3; i++)
        {
            var response = await Client.GetAsync(new Uri("/chaos/status/200", UriKind.Relative));
            statuses.Add((int)response.StatusCode);
            rejected = response;
        }

        Assert.Equal([200, 200, 429], statuses);
        using (rejected)
        {
            await ProblemAssert.IsGatewayProblemAsync(rejected!, 429, "ratelimit");
            Assert.True(int.Parse(rejected!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }
    }

    [Fact]
    public async Task A_concurrency_limit_rejects_the_request_over_it_with_retry_after()
    {
        await AttachPolicyToChaosAsync("""{ "Kind": "Concurrency", "PermitLimit": 1 }""");
        var slow = Client.GetAsync(new Uri("/chaos/slow?ms=1500", UriKind.Relative));
        // Only once the slow request holds the permit (the gateway says one is in flight) is the next one over the limit.
        await Eventually.HoldsAsync(async () =>
            (await MetricsScrape.ReadAsync(Gateway)).Samples.Sum("gateway_requests_in_flight") == 1, "the slow request is in flight", seconds: 5);

        using (var rejected = await Client.GetAsync(new Uri("/chaos/status/200", UriKind.Relative)))
        {
            await ProblemAssert.IsGatewayProblemAsync(rejected, 429, "ratelimit");
            Assert.Equal("1", rejected.Headers.GetValues("Retry-After").Single());
        }

        using var first = await slow;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(200, await StatusAsync("/chaos/status/200"));
    }

    [Fact]
    public async Task A_route_naming_an_unknown_policy_is_rejected_and_the_old_limits_stay()
    {
        Config.Edit(json => json["ReverseProxy"]!["Routes"]!["search"]!["RateLimiterPolicy"] = "nope");
        await Eventually.HoldsAsync(async () =>
        {
            using var health = await Gateway.Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
            var report = await health.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            var description = report.GetProperty("checks").GetProperty("config").GetProperty("description").GetString();
            return description!.Contains("Route 'search': RateLimiterPolicy 'nope'", StringComparison.Ordinal);
        }, "the rejection names the route's policy");
        await ExhaustAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SearchAsync()).StatusCode);
    }

    private async Task AttachPolicyToChaosAsync(string policy) =>
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["RateLimiting"]!["Policies"]!["chaos-policy"] = JsonNode.Parse(policy);
            json["ReverseProxy"]!["Routes"]!["chaos"]!["RateLimiterPolicy"] = "chaos-policy";
        });

    private async Task ExhaustAsync(string? apiKey = null, string? forwardedFor = null)
    {
        for (var i = 0; i < 10; i++)
        {
            using var response = await SearchAsync(apiKey, forwardedFor);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private Task<HttpResponseMessage> SearchAsync(string? apiKey = null, string? forwardedFor = null, string? token = null, string? realIp = null) =>
        Searches.SendAsync(Client, apiKey, forwardedFor, token, realIp);
}
