using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>Redirects the gateway answers itself (Redirects in the config), compared with the upstream's own 301.</summary>
public sealed class RedirectTests : PerTestGateway
{
    [Theory]
    [InlineData("GET", "/v1/users/1?fields=name", 301, "/api/users/1?fields=name")]
    [InlineData("HEAD", "/v1/users/1", 301, "/api/users/1")]
    [InlineData("POST", "/v1/users", 308, "/api/users")] // 308: a client must repeat the POST, body and all.
    [InlineData("DELETE", "/v1/users/2", 308, "/api/users/2")]
    public async Task The_root_configs_permanent_rule_keeps_the_method_where_it_must(string method, string path, int status, string location)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(1, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "redirect" && labels["code"] == $"{status}"));
    }

    [Fact]
    public async Task The_upstreams_own_301_is_told_apart()
    {
        using var response = await Client.GetAsync(new Uri("/old-url", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(1, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "upstream" && labels["code"] == "301"));
        Assert.Equal(0, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "redirect"));
    }

    [Fact]
    public async Task A_temporary_rule_added_live_rewrites_host_and_drops_the_query()
    {
        await Gateway.EditConfigAsync(Config, json => json["Redirects"]!["Rules"]!["docs"] = JsonNode.Parse(
            """{ "Path": "/docs/{**page}", "Destination": "https://docs.example.com/guide/{page}", "KeepQuery": false }"""));

        using var get = await Client.GetAsync(new Uri("/docs/status/504?utm=x", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, get.StatusCode);
        Assert.Equal("https://docs.example.com/guide/status/504", get.Headers.Location?.OriginalString);
        using var put = await Client.PutAsync(new Uri("/docs/a", UriKind.Relative), new StringContent("x"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, put.StatusCode);
    }

    [Fact]
    public async Task An_invalid_rule_is_refused_naming_its_key_and_the_last_good_rules_keep_answering()
    {
        Config.Edit(json => json["Redirects"]!["Rules"]!["api-v1"]!["Destination"] = "/api/{nope}");
        await Eventually.HoldsAsync(async () => (await Gateway.ReloadCountsAsync()).Rejected > 0, "the edit is rejected");
        var (_, _, last) = await Gateway.ReloadCountsAsync();
        Assert.Contains("Redirects:Rules:api-v1:Destination", last.ToString(), StringComparison.Ordinal);
        using var response = await Client.GetAsync(new Uri("/v1/users/1", UriKind.Relative));
        Assert.Equal("/api/users/1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_admin_port_is_never_redirected()
    {
        using var response = await Gateway.Admin.GetAsync(new Uri("/v1/users/1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
