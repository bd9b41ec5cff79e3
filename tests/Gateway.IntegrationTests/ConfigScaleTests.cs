using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// 10,000 routes load, serve and reload, and a bad edit of that size is rejected naming its key while the last good
/// config keeps serving (issue 28). Reading them used to be quadratic (every section's children by a scan of all keys),
/// and such a file was over the file size limit. How long each takes is measured in bench/, not here.
/// </summary>
public sealed class ConfigScaleTests : PerTestGateway
{
    private const int RouteCount = 10_000;

    protected override Action<JsonObject>? ConfigBeforeStart => json =>
    {
        var routes = json["ReverseProxy"]!["Routes"]!.AsObject();
        for (var i = 0; i < RouteCount; i++)
        {
            routes[$"r{i}"] = new JsonObject
            {
                ["ClusterId"] = "chaos",
                ["Timeout"] = "00:00:05",
                ["RateLimiterPolicy"] = "search",
                ["Match"] = new JsonObject { ["Path"] = $"/r{i}/{{**rest}}", ["Methods"] = new JsonArray("GET", "HEAD") },
                ["Transforms"] = new JsonArray(new JsonObject { ["PathPattern"] = "/chaos/{**rest}" }),
            };
        }
    };

    [Fact]
    public async Task Ten_thousand_routes_serve_reload_and_a_bad_edit_of_that_size_is_rejected_naming_the_key()
    {
        Assert.True(new FileInfo(Config.Path).Length > 1024 * 1024, "the file is over the old 1 MiB limit");
        await AssertServedAsync("/r9999/headers");

        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["r5000"]!["Match"]!["Path"] = "/moved/{**rest}");
        await AssertServedAsync("/moved/headers");

        Config.Edit(json => json["ReverseProxy"]!["Routes"]!["r4000"]!["RateLimiterPolicy"] = "no-such-policy");
        await Eventually.HoldsAsync(async () => (await Gateway.ReloadCountsAsync()).Rejected > 0, "the edit is rejected");
        var (_, _, last) = await Gateway.ReloadCountsAsync();
        Assert.Contains("r4000", last.ToString(), StringComparison.Ordinal);
        Assert.Contains("RateLimiterPolicy", last.ToString(), StringComparison.Ordinal);
        await AssertServedAsync("/r4000/headers");
        await AssertServedAsync("/moved/headers");
    }

    private async Task AssertServedAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await response.Content.ReadFromJsonAsync<Dictionary<string, string>>());
    }
}
