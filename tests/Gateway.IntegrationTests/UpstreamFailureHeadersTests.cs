using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>A forward that fails is answered by the gateway: its own headers (RateLimit) stay, the upstream's do not.</summary>
public sealed class UpstreamFailureHeadersTests : PerTestGateway
{
    // The search route (rate-limit policy "search") goes to the users cluster; here its one destination refuses connections.
    protected override Action<JsonObject>? ConfigBeforeStart => json =>
        json["ReverseProxy"]!["Clusters"]!["users"]!["Destinations"] = new JsonObject
        {
            ["users-1"] = new JsonObject { ["Address"] = $"http://127.0.0.1:{ClosedPort.Next()}" },
        };

    [Fact]
    public async Task A_502_on_a_rate_limited_route_keeps_the_ratelimit_headers()
    {
        using var response = await Searches.SendAsync(Client);

        await ProblemAssert.IsGatewayProblemAsync(response, 502, "unreachable");
        Assert.Equal("\"search\";q=10;w=10", Assert.Single(response.Headers.GetValues("RateLimit-Policy")));
        Assert.StartsWith("\"search\";r=9;t=", Assert.Single(response.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
    }
}
