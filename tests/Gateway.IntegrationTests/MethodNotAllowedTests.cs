using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// A public route restricted by Match.Methods answers other methods 405 with Allow (RFC 9110 15.5.6), not the
/// no-route 404, when no other route takes the request; host-restricted routes only count for their hosts.
/// </summary>
public sealed class MethodNotAllowedTests : PerTestGateway
{
    protected override Action<JsonObject> ConfigBeforeStart => json =>
    {
        var routes = json["ReverseProxy"]!["Routes"]!.AsObject();
        routes["reports-read"] = Route("/reports/{id}", ["GET", "HEAD"]);
        routes["reports-write"] = Route("/reports/{id}", ["PUT"]);
        routes["hooks"] = Route("/hooks", ["POST"], hosts: ["hooks.example.test"]);
        routes["invoices"] = Route("/invoices/{id:int}", ["GET"]);
        routes["feeds"] = Route("/feeds/{name=latest}", ["GET"]);
        routes["ported"] = Route("/ported", ["POST"], hosts: ["ported.example.test:80"]);
    };

    [Fact]
    public async Task Wrong_method_on_a_method_restricted_route_is_405_with_every_allowed_method()
    {
        using var response = await Client.DeleteAsync(new Uri("/reports/7", UriKind.Relative));
        var problem = await ProblemAssert.IsGatewayProblemAsync(response, 405, "no_route");
        var allowed = response.Content.Headers.Allow.Select(method => method.ToUpperInvariant()).Order();
        Assert.Equal(["GET", "HEAD", "PUT"], allowed);
        Assert.Contains("DELETE", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowed_method_still_reaches_the_upstream()
    {
        using var response = await Client.GetAsync(new Uri("/reports/7", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.NotEqual("no_route", await OriginOf(response));
    }

    [Fact]
    public async Task Route_of_another_host_does_not_make_a_405()
    {
        using var otherHost = new HttpRequestMessage(HttpMethod.Get, "/hooks");
        using var response = await Client.SendAsync(otherHost);
        await ProblemAssert.IsGatewayProblemAsync(response, 404, "no_route");
        Assert.Empty(response.Content.Headers.Allow);

        using var rightHost = new HttpRequestMessage(HttpMethod.Get, "/hooks");
        rightHost.Headers.Host = "hooks.example.test";
        using var onHost = await Client.SendAsync(rightHost);
        await ProblemAssert.IsGatewayProblemAsync(onHost, 405, "no_route");
        Assert.Equal(["POST"], onHost.Content.Headers.Allow);
    }

    [Fact]
    public async Task Route_default_values_count_as_routing_counts_them()
    {
        // "/feeds" matches "/feeds/{name=latest}" through its default.
        using var response = await Client.DeleteAsync(new Uri("/feeds", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 405, "no_route");
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Host_without_a_port_matches_a_route_host_with_the_default_port()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/ported");
        request.Headers.Host = "ported.example.test";
        using var response = await Client.SendAsync(request);
        await ProblemAssert.IsGatewayProblemAsync(response, 405, "no_route");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/reports/7/extra")] // no template matches
    [InlineData("/invoices/abc")] // the template matches, its {id:int} constraint does not
    public async Task Path_no_route_matches_stays_404(string path)
    {
        using var response = await Client.DeleteAsync(new Uri(path, UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 404, "no_route");
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Constrained_route_gives_405_when_its_constraint_holds()
    {
        using var response = await Client.DeleteAsync(new Uri("/invoices/7", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 405, "no_route");
        Assert.Equal(["GET"], response.Content.Headers.Allow);
    }

    private static JsonObject Route(string path, string[] methods, string[]? hosts = null)
    {
        var match = new JsonObject { ["Path"] = path, ["Methods"] = new JsonArray([.. methods.Select(m => JsonValue.Create(m))]) };
        if (hosts is not null)
        {
            match["Hosts"] = new JsonArray([.. hosts.Select(h => JsonValue.Create(h))]);
        }

        return new JsonObject { ["ClusterId"] = "users", ["Match"] = match };
    }

    private static async Task<string?> OriginOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.StartsWith('{') ? JsonNode.Parse(text)?["origin"]?.GetValue<string>() : null;
    }
}
