using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>502/503/504 decided by the gateway, each a problem+json naming its origin; upstream errors pass through untouched.</summary>
public sealed class UpstreamFailureTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = fixture.Gateway.Public;

    [Theory]
    [InlineData("/unreachable/anything")] // connection refused
    [InlineData("/chaos/reset")] // upstream aborts the connection
    [InlineData("/chaos/garbage")] // upstream answers bytes that are not HTTP
    public async Task Refused_reset_or_garbage_upstream_is_502_unreachable(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 502, "unreachable");
    }

    [Fact]
    public async Task Upstream_slower_than_the_route_timeout_is_504_after_the_timeout_not_400()
    {
        // The root config gives the chaos route "Timeout": "00:00:02"; YARP alone answers 400 here. The upstream
        // would answer 200 after 5 s, so the 504 itself shows the gateway gave up first; not before the 2 s are up.
        var clock = Stopwatch.StartNew();
        using var response = await _client.GetAsync(new Uri("/chaos/slow?ms=5000", UriKind.Relative));
        clock.Stop();
        await ProblemAssert.IsGatewayProblemAsync(response, 504, "timeout");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"504 after {clock.Elapsed}, before the 2 s timeout");
    }

    [Fact]
    public async Task Upstream_faster_than_the_route_timeout_is_served()
    {
        using var response = await _client.GetAsync(new Uri("/chaos/slow?ms=100", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Cluster_without_a_healthy_destination_is_503_with_retry_after()
    {
        // Active health checks mark the closed port unhealthy after the first probe (at start, then every 5 s).
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpResponseMessage response;
        while (true)
        {
            response = await _client.GetAsync(new Uri("/unhealthy/anything", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                break;
            }

            response.Dispose();
            await Task.Delay(200);
        }

        using (response)
        {
            await ProblemAssert.IsGatewayProblemAsync(response, 503, "no_healthy");
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Upstream_error_statuses_pass_through_unchanged(int status)
    {
        using var direct = GatewayInstance.CreateClient(fixture.Upstreams.ChaosUrl);
        using var expected = await direct.GetAsync(new Uri($"/chaos/status/{status}", UriKind.Relative));
        using var proxied = await _client.GetAsync(new Uri($"/chaos/status/{status}", UriKind.Relative));

        Assert.Equal(status, (int)proxied.StatusCode);
        Assert.Equal(await WithoutTraceIdAsync(expected), await WithoutTraceIdAsync(proxied));
        Assert.Equal(expected.Content.Headers.ContentType, proxied.Content.Headers.ContentType);
        Assert.Equal(expected.Headers.RetryAfter, proxied.Headers.RetryAfter);
    }

    /// <summary>The upstream's body, minus the per-request trace id it stamps in.</summary>
    private static async Task<string> WithoutTraceIdAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body.Remove("traceId"));
        return body.ToJsonString();
    }

    [Fact]
    public async Task Request_matching_no_route_is_404_no_route()
    {
        using var response = await _client.GetAsync(new Uri("/no/such/route.txt?x=1", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 404, "no_route");
    }
}

/// <summary>Timeouts written on the cluster (YARP's ActivityTimeout) give the same 504 as a route Timeout.</summary>
public sealed class ClusterTimeoutTests : IAsyncLifetime
{
    private readonly Upstreams _upstreams = new();

    public Task InitializeAsync() => _upstreams.InitializeAsync();

    public Task DisposeAsync() => _upstreams.DisposeAsync();

    [Fact]
    public async Task Upstream_slower_than_the_cluster_activity_timeout_is_504()
    {
        using var config = TestConfig.FromRoot(_upstreams);
        var json = config.Read();
        var proxy = json["ReverseProxy"]!;
        proxy["Routes"]!["chaos"]!.AsObject().Remove("Timeout");
        proxy["Clusters"]!["chaos"]!["HttpRequest"] = new JsonObject { ["ActivityTimeout"] = "00:00:01" };
        config.Write(json);
        await using var gateway = await GatewayInstance.StartAsync(config.Path);

        // The upstream would answer 200 after 4 s, so the 504 itself shows the 1 s activity timeout ended it; not before it.
        var clock = Stopwatch.StartNew();
        using var response = await gateway.Public.GetAsync(new Uri("/chaos/slow?ms=4000", UriKind.Relative));
        clock.Stop();
        await ProblemAssert.IsGatewayProblemAsync(response, 504, "timeout");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"504 after {clock.Elapsed}, before the 1 s activity timeout");
    }
}
