using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Reliability;

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

    [Theory]
    [InlineData("/v1/x%0d%0aSet-Cookie:a=b")]
    [InlineData("/v1/x%0aSet-Cookie:a=b")]
    [InlineData("/v1/a/%0D/b")]
    [InlineData("/v1/x%09y")]
    [InlineData("/v1/x%7F")]
    public async Task A_control_character_in_a_matched_value_is_a_400_problem_and_never_reaches_Location(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 400, "redirect");
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.Contains("Set-Cookie"), "a header was injected");
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(1, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "redirect" && labels["code"] == "400"));
        Assert.Equal(0, metrics.Sum("gateway_responses_total", labels => labels["code"] == "500"));
    }

    [Theory]
    [InlineData("/v1/a%20b/c", "/api/a%20b/c")]
    [InlineData("/v1/%C3%A9t%C3%A9/x", "/api/%C3%A9t%C3%A9/x")] // non-ASCII is not allowed in a header: UTF-8, percent-encoded
    [InlineData("/v1/a%3Fb%23c", "/api/a%3Fb%23c")] // '?' and '#' in a value stay in the path
    [InlineData("/v1/a%2Fb/c", "/api/a%2Fb/c")] // an encoded slash stays inside its segment, a real one is kept
    [InlineData("/v1/q%22%3C%3E%5C", "/api/q%22%3C%3E%5C")]
    public async Task Values_put_into_Location_are_percent_encoded_as_path_and_a_catch_all_keeps_its_slashes(string path, string location)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/{**rest}", "/\\evil.example", 302)] // a browser reads "/\" as "//"
    [InlineData("/{**rest}", "/%5Cevil.example", 302)]
    [InlineData("/{rest}", "/%5C%5Cevil.example", 302)]
    [InlineData("/{**rest}", "/%5C/evil.example", 302)]
    [InlineData("/{**rest}", "/%2F%2Fevil.example", 302)]
    [InlineData("/{**rest}", "/https://evil.example", 302)]
    [InlineData("/{**rest}", "/https:%2F%2Fevil.example", 302)]
    // Routing's TemplateMatcher refuses empty segments: "//evil.example" is no value of "/{rest}" (it would be encoded "/%2Fevil.example").
    [InlineData("/{rest}", "//evil.example", 404)]
    [InlineData("/{**rest}", "//evil.example", 404)]
    [InlineData("/{**rest}", "///evil.example/x", 404)]
    [InlineData("/go/{**rest}", "/go//evil.example", 404)]
    public async Task A_value_can_never_make_a_relative_destination_scheme_relative_or_absolute(string pattern, string target, int status)
    {
        await Gateway.EditConfigAsync(Config, json => json["Redirects"]!["Rules"]!["all"] = new JsonObject
        {
            ["Path"] = pattern,
            ["Destination"] = "/{rest}",
        });

        // Raw: HttpClient would read "//evil.example" as a host.
        var answer = await RawHttp.SendAsync(Client.BaseAddress!, $"GET {target} HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n");
        Assert.True(answer.Status == status, answer.Raw);
        var location = HeaderOf(answer, "Location");
        Assert.Equal(status == 302, location is not null);
        // What a browser does with it: resolved against the page it asked for, it must stay on this host.
        var followed = new Uri(new Uri("http://gateway.test/page"), location ?? "/");
        Assert.True(followed.Host == "gateway.test", $"{target} redirects to {followed} (Location: {location})");
        Assert.False(location is not null && (!location.StartsWith('/') || location.StartsWith("//", StringComparison.Ordinal) || location.StartsWith("/\\", StringComparison.Ordinal)), location);
    }

    [Theory]
    [InlineData("/docs/{**rest}", "//docs.example.com/{rest}", "/docs/a/b", "//docs.example.com/a/b")] // leaves the host: it says so
    [InlineData("/docs/{**rest}", "https://docs.example.com/{rest}", "/docs/a/b", "https://docs.example.com/a/b")]
    [InlineData("/find/{term}", "/api/users?name={term}", "/find/a%26admin%3Dtrue%20x?page=2", "/api/users?name=a%26admin%3Dtrue%20x&page=2")] // a query value
    public async Task A_value_lands_where_the_destination_puts_it_and_only_the_destination_leaves_the_host(string pattern, string destination, string path, string location)
    {
        await Gateway.EditConfigAsync(Config, json => json["Redirects"]!["Rules"]!["live"] = new JsonObject
        {
            ["Path"] = pattern,
            ["Destination"] = destination,
        });

        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("https://{rest}/x")] // the host itself from the request
    [InlineData("https://docs.example.com{rest}")] // a value glued to the host: ".evil.example" or ":1@evil.example"
    [InlineData("//{rest}")]
    [InlineData("{rest}")]
    [InlineData("/{rest}\r\nSet-Cookie: a=b")]
    public async Task A_destination_whose_host_a_value_could_choose_is_refused(string destination)
    {
        Config.Edit(json => json["Redirects"]!["Rules"]!["open"] = new JsonObject
        {
            ["Path"] = "/open/{**rest}",
            ["Destination"] = destination,
        });
        await Eventually.HoldsAsync(async () => (await Gateway.ReloadCountsAsync()).Rejected > 0, "the edit is rejected");
        var (_, _, last) = await Gateway.ReloadCountsAsync();
        Assert.Contains("Redirects:Rules:open:Destination", last.ToString(), StringComparison.Ordinal);
        using var response = await Client.GetAsync(new Uri("/open/evil.example", UriKind.Relative));
        Assert.Null(response.Headers.Location);
    }

    private static string? HeaderOf(RawHttp.Answer answer, string name) =>
        answer.Raw.Split("\r\n\r\n", 2)[0].Split("\r\n").FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) is { } line
            ? line[(name.Length + 1)..].Trim()
            : null;
}
