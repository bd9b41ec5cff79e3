using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>One decision, two representations: an HTML page for a browser, problem+json for everything else.</summary>
public sealed class GatewayAnswerFormatTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private readonly HttpClient _client = fixture.Gateway.Public;

    [Fact]
    public async Task A_browser_gets_an_html_page_with_everything_encoded()
    {
        using var response = await GetAsync("/nope/<script>alert(1)</script>", Browser);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("Accept", response.Headers.Vary);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>404 Not Found</title>", page, StringComparison.Ordinal);
        Assert.Contains("No route of this gateway matches this request.", page, StringComparison.Ordinal);
        Assert.Contains("/nope/&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("origin <code>no_route</code>", page, StringComparison.Ordinal);
        Assert.Matches("trace id <code>[0-9a-f]{32}</code>", page);
        Assert.Contains("<a href=\"/_gateway/status/404?origin=no_route\">", page, StringComparison.Ordinal);
        ProblemAssert.NoInternals(page);
    }

    [Fact]
    public async Task A_browser_page_carries_the_same_decision_in_its_headers()
    {
        using var response = await GetAsync("/unreachable/anything", Browser);

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("gateway; error=connection_refused", Assert.Single(response.Headers.GetValues("Proxy-Status")));
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>502 Bad Gateway</title>", page, StringComparison.Ordinal);
        Assert.Contains("origin <code>unreachable</code>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/_gateway/status/502?origin=unreachable&amp;route=unreachable\">", page, StringComparison.Ordinal);
        ProblemAssert.NoInternals(page);
    }

    [Theory]
    [InlineData(null)] // curl without -H, most scripts
    [InlineData("*/*")] // curl, fetch()
    [InlineData("application/json")]
    [InlineData("application/problem+json")]
    [InlineData("application/json, text/html;q=0.5")] // HTML accepted, JSON preferred
    public async Task Anything_but_a_browser_gets_problem_json(string? accept)
    {
        using var response = await GetAsync("/nope/<script>alert(1)</script>", accept);

        var problem = await ProblemAssert.IsGatewayProblemAsync(response, 404, "no_route");
        Assert.Equal("/nope/%3Cscript%3Ealert(1)%3C/script%3E", problem.GetProperty("instance").GetString()); // as before: the escaped path
        Assert.Contains("Accept", response.Headers.Vary);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await _client.SendAsync(request);
    }
}
