using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Hosting;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 26: the Proxy-Status rows that change the gateway's state (overload, maintenance, an upstream of a test's own),
/// and the <c>ProxyStatus</c> settings: the name, <c>next-hop</c> and <c>details</c> (off by default), applied live.
/// </summary>
public sealed partial class ProxyStatusSettingsTests : PerTestGateway
{
    private static string? ProxyStatus(HttpResponseMessage response) => ProxyStatusTests.ProxyStatus(response);

    private async Task<double> ChaosOverloadGaugeAsync(string name)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum(name, labels => labels["scope"] == "cluster" && labels["cluster"] == "chaos");
    }

    [Fact]
    public async Task A_request_shed_by_a_full_concurrency_limit_is_connection_limit_reached()
    {
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["Overload"] = JsonNode.Parse("""{ "Clusters": { "chaos": { "PermitLimit": 1, "QueueLimit": 0 } } }""");
            json["ReverseProxy"]!["Routes"]!["chaos"]!["Timeout"] = "00:00:30";
        });
        // The edit is applied before the options monitor's new limiter may be in force: a holder admitted by the old
        // limit (100) would hold no permit of the new one (a CI run failed so).
        await Eventually.HoldsAsync(async () => await ChaosOverloadGaugeAsync("gateway_overload_permit_limit") == 1, "the cluster's limit of 1 is in force");
        using var release = new CancellationTokenSource();
        var holder = Client.GetAsync(new Uri("/chaos/slow?ms=20000", UriKind.Relative), release.Token);
        await Eventually.HoldsAsync(async () => await ChaosOverloadGaugeAsync("gateway_overload_permits_in_use") == 1, "the holder has the one permit");
        HttpResponseMessage? shed = null;
        await Eventually.HoldsAsync(async () =>
        {
            shed?.Dispose();
            shed = await Client.GetAsync(new Uri("/chaos/status/200", UriKind.Relative));
            return shed.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, "the one permit is taken");
        using (shed)
        {
            await ProblemAssert.IsGatewayProblemAsync(shed!, 503, "overload");
            Assert.Equal("gateway; error=connection_limit_reached", ProxyStatus(shed!));
        }

        await release.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holder);
    }

    [Fact]
    public async Task A_route_in_maintenance_is_proxy_internal_response()
    {
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["Maintenance"]!["Enabled"] = true;
            json["Maintenance"]!["Routes"] = new JsonArray("chaos");
        });
        using var response = await Client.GetAsync(new Uri("/chaos/status/200", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 503, "maintenance");
        Assert.Equal("gateway; error=proxy_internal_response", ProxyStatus(response));
    }

    [Fact]
    public async Task An_exception_in_the_gateway_is_proxy_internal_error()
    {
        // No route makes the gateway fail: an endpoint of the test's own throws behind the whole pipeline.
        await using var failing = await GatewayInstance.StartAsync(Config.Path, app => app
            .MapGet("/test/throws", HttpContext () => throw new InvalidOperationException("a bug"))
            .WithMetadata(ListenerMetadata.Public));
        using var response = await failing.Public.GetAsync(new Uri("/test/throws", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 500, "gateway");
        Assert.Equal("gateway; error=proxy_internal_error", ProxyStatus(response));
    }

    [Fact]
    public async Task An_upstreams_own_members_are_kept_and_the_gateways_comes_last()
    {
        await using var upstream = await TestUpstream.StartAsync(app => app.MapGet("/behind-a-proxy", (HttpContext context) =>
        {
            context.Response.Headers["Proxy-Status"] = "origin-lb; received-status=503; error=connection_refused";
            return Results.Text("from the origin's own error page", statusCode: 503);
        }));
        await RouteToAsync(upstream, "/behind-a-proxy");

        using var response = await Client.GetAsync(new Uri("/behind-a-proxy", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("origin-lb; received-status=503; error=connection_refused, gateway; received-status=503", ProxyStatus(response));
    }

    [Fact]
    public async Task The_name_is_a_setting_applied_live()
    {
        await Gateway.EditConfigAsync(Config, json => json["ProxyStatus"] = new JsonObject { ["Name"] = "edge-1.example" });
        using var proxied = await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        using var noRoute = await Client.GetAsync(new Uri("/no/such/route", UriKind.Relative));
        Assert.Equal("edge-1.example; received-status=200", ProxyStatus(proxied));
        Assert.Equal("edge-1.example; error=destination_not_found", ProxyStatus(noRoute));
    }

    [Fact]
    public async Task Next_hop_and_details_are_off_by_default_and_can_be_turned_on()
    {
        using (var quiet = await Client.GetAsync(new Uri("/unreachable/x", UriKind.Relative)))
        {
            Assert.Equal("gateway; error=connection_refused", ProxyStatus(quiet));
        }

        await Gateway.EditConfigAsync(Config, json => json["ProxyStatus"] = new JsonObject { ["NextHop"] = true, ["Details"] = true });

        using var refused = await Client.GetAsync(new Uri("/unreachable/x", UriKind.Relative));
        Assert.Matches(RefusedWithDetails(), ProxyStatus(refused));
        using var proxied = await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        Assert.Equal($"gateway; received-status=200; next-hop=\"{Upstreams.UsersUrl.Host}:{Upstreams.UsersUrl.Port}\"", ProxyStatus(proxied));
        using var noRoute = await Client.GetAsync(new Uri("/no/such/route", UriKind.Relative));
        Assert.Matches("^gateway; error=destination_not_found; details=\"[ -~]+\"$", ProxyStatus(noRoute));
    }

    private Task RouteToAsync(TestUpstream upstream, string path) => Gateway.EditConfigAsync(Config, json =>
    {
        json["ReverseProxy"]!["Clusters"]!["test-upstream"] = new JsonObject
        {
            ["Destinations"] = new JsonObject { ["one"] = new JsonObject { ["Address"] = upstream.Url } },
        };
        json["ReverseProxy"]!["Routes"]!["test-route"] = new JsonObject
        {
            ["ClusterId"] = "test-upstream",
            ["Match"] = new JsonObject { ["Path"] = path },
        };
    });

    [GeneratedRegex("""^gateway; error=connection_refused; next-hop="127\.0\.0\.1:[0-9]+"; details="Request: Connection refused \(127\.0\.0\.1:[0-9]+\)"$""")]
    private static partial Regex RefusedWithDetails();
}
