using System.Net;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 25: the users API answers HEAD wherever it answers GET (RFC 9110 §9.3.2: GET's status and headers, no body)
/// and OPTIONS with <c>Allow</c> on every resource, itself and through the gateway's public port.
/// </summary>
public sealed class UsersApiMethodsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _gateway = fixture.Gateway.Public;

    // Headers a HEAD must share with its GET (Date and tracing headers differ per answer).
    private static readonly string[] SameHeaders = ["Content-Type", "Content-Length", "ETag", "Location", "Cache-Control", "WWW-Authenticate", "Accept-Ranges"];

    public static TheoryData<string> GetResources() =>
    [
        "/healthz", "/api/users/1", "/api/users/999999", "/api/products", "/api/search?q=phone", "/api/files/report.txt",
        "/api/files/nope.txt", "/api/jobs/1", "/api/bookings/1", "/api/profile", "/old-url", "/new-url", "/login",
    ];

    [Theory]
    [MemberData(nameof(GetResources))]
    public async Task Head_on_the_sample_itself_has_the_gets_status_and_headers_and_no_body(string path)
    {
        using var sample = GatewayInstance.CreateClient(fixture.Upstreams.UsersUrl);
        await AssertHeadMatchesGetAsync(sample, path);
    }

    [Theory]
    [InlineData("/api/users/1")]
    [InlineData("/api/search?q=phone")]
    [InlineData("/new-url")]
    public async Task Head_through_the_gateway_has_the_gets_status_and_headers_and_no_body(string path) =>
        await AssertHeadMatchesGetAsync(_gateway, path);

    [Fact]
    public async Task Curl_I_on_a_user_through_the_gateway_is_200_with_the_etag_and_a_matching_etag_is_304()
    {
        using var get = await _gateway.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        using var head = await _gateway.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/users/1"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.NotNull(head.Headers.ETag);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);

        using var conditional = new HttpRequestMessage(HttpMethod.Head, "/api/users/1");
        conditional.Headers.IfNoneMatch.Add(head.Headers.ETag);
        using var notModified = await _gateway.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(head.Headers.ETag, notModified.Headers.ETag);
    }

    [Theory]
    [InlineData("/api/users/1", "DELETE, GET, HEAD, OPTIONS, PUT")]
    [InlineData("/api/users", "OPTIONS, POST")]
    [InlineData("/api/products", "GET, HEAD, OPTIONS")]
    [InlineData("/api/search", "GET, HEAD, OPTIONS")]
    [InlineData("/api/login", "OPTIONS, POST")]
    [InlineData("/api/files/report.txt", "GET, HEAD, OPTIONS")]
    [InlineData("/old-url", "GET, HEAD, OPTIONS")]
    public async Task Options_answers_204_with_allow_on_the_sample_and_through_the_gateway(string path, string allow)
    {
        using var sample = GatewayInstance.CreateClient(fixture.Upstreams.UsersUrl);
        foreach (var client in new[] { sample, _gateway })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_wrong_method_is_405_whose_allow_lists_head_and_options_too()
    {
        using var sample = GatewayInstance.CreateClient(fixture.Upstreams.UsersUrl);
        foreach (var client in new[] { sample, _gateway })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/api/users/1"));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Equal(["DELETE", "GET", "HEAD", "OPTIONS", "PUT"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Head_on_search_is_taken_by_the_search_route_and_its_rate_limit()
    {
        using var head = await _gateway.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/search?q=phone"));
        var (_, metrics) = await MetricsScrape.ReadAsync(fixture.Gateway);
        Assert.True(metrics.Sum("gateway_responses_total", labels => labels["route"] == "search" && labels["method"] == "HEAD") >= 1,
            "HEAD /api/search went to another route than search, past its rate limit");
    }

    private static async Task AssertHeadMatchesGetAsync(HttpClient client, string path)
    {
        using var get = await client.GetAsync(new Uri(path, UriKind.Relative));
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.True(get.StatusCode == head.StatusCode, $"{path}: GET {(int)get.StatusCode}, HEAD {(int)head.StatusCode}");
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        foreach (var name in SameHeaders)
        {
            if (name == "Content-Length" && Values(head, name) == "")
            {
                continue; // RFC 9110 §8.6: a HEAD answer may leave it out (Kestrel does when nothing was written), never state another.
            }

            Assert.True(Values(get, name) == Values(head, name), $"{path} {name}: GET '{Values(get, name)}', HEAD '{Values(head, name)}'");
        }
    }

    private static string Values(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : "";
}
