using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Configuration;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.IntegrationTests;

/// <summary>Editing the route file while the gateway runs: valid edits apply, invalid ones are rejected whole and named.</summary>
public sealed class ConfigReloadTests : PerTestGateway
{
    /// <summary>YARP compares destinations ignoring case, and upstream paths are case-sensitive: /V1/ and /v1/ differ (found by a hostile review).</summary>
    [Fact]
    public async Task An_edit_of_only_the_case_of_a_destination_path_applies()
    {
        await using var upstream = await TestUpstream.StartAsync(app => app.MapGet("/{**path}", (HttpContext context) => "upstream saw " + context.Request.Path));
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["ReverseProxy"]!["Routes"]!["echo"] = new JsonObject { ["ClusterId"] = "echo", ["Match"] = new JsonObject { ["Path"] = "/echo/{**rest}" }, ["Transforms"] = JsonNode.Parse("""[ { "PathRemovePrefix": "/echo" } ]""") };
            json["ReverseProxy"]!["Clusters"]!["echo"] = new JsonObject { ["Destinations"] = new JsonObject { ["e1"] = new JsonObject { ["Address"] = upstream.Url + "/V1/" } } };
        });
        Assert.Equal("upstream saw /V1/x", await Client.GetStringAsync(new Uri("/echo/x", UriKind.Relative)));

        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Clusters"]!["echo"]!["Destinations"]!["e1"]!["Address"] = upstream.Url + "/v1/");

        Assert.Equal("upstream saw /v1/x", await Client.GetStringAsync(new Uri("/echo/x", UriKind.Relative)));
    }

    [Fact]
    public async Task A_valid_edit_adds_a_route_without_a_restart()
    {
        var json = Config.Read();
        json["ReverseProxy"]!["Routes"]!["teapot"] = JsonNode.Parse(
            """{ "ClusterId": "chaos", "Match": { "Path": "/teapot" }, "Transforms": [ { "PathSet": "/chaos/status/418" } ] }""");
        Config.Write(json);

        await Eventually.HoldsAsync(async () => await StatusAsync("/teapot") == 418, "the added route answers 418");
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        Assert.Equal("Healthy", await HealthAsync());
    }

    /// <summary>YARP's own config loader takes transform names in any case (its dictionaries ignore case); so does the gateway.</summary>
    [Fact]
    public async Task A_transform_name_in_another_case_is_taken_as_yarp_takes_it()
    {
        var json = Config.Read();
        json["ReverseProxy"]!["Routes"]!["teapot"] = JsonNode.Parse(
            """{ "ClusterId": "chaos", "Match": { "Path": "/teapot" }, "Transforms": [ { "pathset": "/chaos/status/418" } ] }""");
        Config.Write(json);

        await Eventually.HoldsAsync(async () => await StatusAsync("/teapot") == 418, () => $"the added route answers 418 (health: {Gateway.Logs.Lines.LastOrDefault(line => line.Contains("Rejected", StringComparison.Ordinal))})");
    }

    [Fact]
    public async Task Broken_json_is_rejected_the_last_good_routes_keep_serving_and_a_fix_applies()
    {
        var lastGood = Config.Read();
        Config.WriteText("""{ "ReverseProxy": { "Routes": { """);

        await Eventually.HoldsAsync(async () => await HealthAsync() == "Degraded", "the health check reports the rejected edit");
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        Assert.Contains(Gateway.Logs.Lines, line => line.Contains("not valid JSON", StringComparison.Ordinal));

        lastGood["ReverseProxy"]!["Routes"]!.AsObject().Remove("users-api");
        Config.Write(lastGood);
        await Eventually.HoldsAsync(async () => await StatusAsync("/api/users/1") == 404, "the fixed edit applies (users-api removed)");
        await Eventually.HoldsAsync(async () => await HealthAsync() == "Healthy", "the health check recovers");
    }

    public static TheoryData<string, string, string> InvalidEdits() => new()
    {
        { "unknown cluster", """{ "path": "Routes.users-api.ClusterId", "value": "userz" }""", "Route 'users-api': ClusterId 'userz'" },
        { "bad address", """{ "path": "Clusters.users.Destinations.users-1.Address", "value": "not a url" }""", "Cluster 'users', destination 'users-1'" },
        { "bad timeout", """{ "path": "Routes.chaos.Timeout", "value": "two seconds" }""", "ReverseProxy:Routes:chaos:Timeout" },
        { "misspelt key", """{ "path": "Routes.users-api.Match.Pth", "value": "/x" }""", "Pth" },
        { "bad route path", """{ "path": "Routes.users-api.Match.Path", "value": "/api/{**rest" }""", "Route 'users-api'" },
    };

    [Theory]
    [MemberData(nameof(InvalidEdits))]
    public async Task An_invalid_edit_is_rejected_naming_what_is_wrong_and_the_old_routes_keep_serving(string name, string edit, string expectedMessage)
    {
        var change = JsonNode.Parse(edit)!;
        var json = Config.Read();
        TestConfig.Set(json["ReverseProxy"]!.AsObject(), change["path"]!.GetValue<string>().Split('.'), change["value"]!.GetValue<string>());
        Config.Write(json);

        await Eventually.HoldsAsync(async () => await HealthAsync() == "Degraded", $"{name}: the health check reports the rejected edit");
        var description = await HealthDescriptionAsync();
        Assert.Contains(expectedMessage, description, StringComparison.Ordinal);
        Assert.Contains(Gateway.Logs.Lines, line => line.Contains("Rejected the edited config file", StringComparison.Ordinal)
            && line.Contains(expectedMessage, StringComparison.Ordinal));

        Assert.Equal(200, await StatusAsync("/api/users/1"));
        Assert.Equal(200, await StatusAsync("/chaos/slow?ms=10"));
    }

    [Fact]
    public async Task The_gateway_does_not_start_on_an_invalid_file_and_says_which_key()
    {
        using var config = TestConfig.FromRoot(Upstreams);
        var json = config.Read();
        json["ReverseProxy"]!["Routes"]!["chaos"]!["Timeout"] = "soon";
        config.Write(json);

        var error = await Assert.ThrowsAsync<ConfigFileException>(() => GatewayInstance.StartAsync(config.Path));
        Assert.Contains("ReverseProxy:Routes:chaos:Timeout", error.Message, StringComparison.Ordinal);
    }

    private async Task<string?> HealthAsync() => (await HealthReportAsync()).GetProperty("status").GetString();

    private async Task<string> HealthDescriptionAsync() =>
        (await HealthReportAsync()).GetProperty("checks").GetProperty("config").GetProperty("description").GetString()!;

    private async Task<JsonElement> HealthReportAsync()
    {
        var (status, report) = await Gateway.HealthReportAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        return report;
    }
}
