using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 26: every public response says who answered in <c>Proxy-Status</c> (RFC 9209): <c>received-status</c> when the
/// upstream did, <c>error=</c> by the origin table (docs/who-answered.md) when the gateway did. These rows need no config
/// change; <see cref="ProxyStatusSettingsTests"/> has the rest and the settings.
/// </summary>
public sealed class ProxyStatusTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = fixture.Gateway.Public;

    [Theory]
    [InlineData("/unreachable/anything", "connection_refused")] // a closed port
    [InlineData("/chaos/reset", "connection_terminated")] // the upstream aborts the connection
    [InlineData("/chaos/garbage", "http_protocol_error")] // the upstream answers bytes that are not HTTP
    public async Task An_unreachable_upstream_is_named_by_how_it_failed(string path, string error)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal($"gateway; error={error}", ProxyStatus(response));
    }

    [Fact]
    public async Task A_route_timeout_is_http_response_timeout()
    {
        using var response = await _client.GetAsync(new Uri("/chaos/slow?ms=5000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("gateway; error=http_response_timeout", ProxyStatus(response));
    }

    [Fact]
    public async Task No_healthy_destination_is_destination_unavailable()
    {
        // Active health checks mark the closed port unhealthy after the first probe.
        await Eventually.HoldsAsync(async () => await _client.StatusAsync("/unhealthy/anything") == 503, "the unhealthy route answers 503");
        using var response = await _client.GetAsync(new Uri("/unhealthy/anything", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 503, "no_healthy");
        Assert.Equal("gateway; error=destination_unavailable", ProxyStatus(response));
    }

    [Theory]
    [InlineData("/api/profile", 401, "http_request_denied")] // no token
    [InlineData("/no/such/route", 404, "destination_not_found")]
    [InlineData("/v1/users/1", 301, "proxy_internal_response")] // a redirect rule
    [InlineData("/_gateway/status/404", 200, "proxy_internal_response")] // a page the gateway serves itself
    public async Task A_gateway_answer_names_its_error_type(string path, int status, string error)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal($"gateway; error={error}", ProxyStatus(response));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_http_request_error()
    {
        using var content = new ByteArrayContent(new byte[2_000_000]);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = content };
        // With Expect: 100-continue the body is never sent (else the early 413 can reset the upload mid-send).
        request.Headers.ExpectContinue = true;
        using var response = await _client.SendAsync(request);
        await ProblemAssert.IsGatewayProblemAsync(response, 413, "limits");
        Assert.Equal("gateway; error=http_request_error", ProxyStatus(response));
    }

    [Fact]
    public async Task A_rate_limited_request_is_http_request_denied()
    {
        // Policy search: 10 per 10 s per client; no other test of this class searches.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 12 && limited is null; i++)
        {
            var response = await _client.GetAsync(new Uri("/api/search?q=phones", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal("gateway; received-status=200", ProxyStatus(response));
                response.Dispose();
            }
        }

        using (limited)
        {
            Assert.NotNull(limited);
            Assert.Equal("gateway; error=http_request_denied", ProxyStatus(limited));
        }
    }

    [Theory]
    [InlineData("/chaos/status/200", 200)]
    [InlineData("/chaos/status/404", 404)]
    [InlineData("/chaos/status/503", 503)]
    [InlineData("/old-url", 301)]
    public async Task An_upstream_answer_says_the_status_received(string path, int status)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal($"gateway; received-status={status}", ProxyStatus(response));
    }

    [Fact]
    public async Task A_websocket_upgrade_says_the_101_received()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var address = new UriBuilder(fixture.Gateway.Public.BaseAddress!) { Scheme = "ws", Path = "/chaos/ws" }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.Equal("gateway; received-status=101", string.Join(", ", socket.HttpResponseHeaders!["Proxy-Status"]));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task The_admin_port_sends_none()
    {
        using var response = await fixture.Gateway.Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Null(ProxyStatus(response));
    }

    [Theory]
    [InlineData("/_gateway/status/502?origin=unreachable", "gateway; error=connection_refused or gateway; error=connection_terminated or gateway; error=http_protocol_error")]
    [InlineData("/_gateway/status/429?origin=ratelimit", "gateway; error=http_request_denied")]
    [InlineData("/_gateway/status/503?origin=no_healthy", "gateway; error=destination_unavailable")]
    [InlineData("/_gateway/status/304?origin=cache", "gateway")]
    [InlineData("/_gateway/status/404?origin=upstream", "gateway; received-status=404")]
    public async Task A_guide_page_names_the_proxy_status_of_its_origin(string path, string expected)
    {
        using var json = await _client.GetAsync(new Uri(path, UriKind.Relative));
        var page = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, page.GetProperty("reachedFrom").GetProperty("proxyStatus").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var html = await _client.SendAsync(request);
        Assert.Contains($"Proxy-Status: <code>{HtmlEncoder.Default.Encode(expected)}</code>", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_origins_guide_page_names_none()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>(new Uri("/_gateway/status/429?origin=admin", UriKind.Relative));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("reachedFrom").GetProperty("proxyStatus").ValueKind);
    }

    internal static string? ProxyStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Proxy-Status", out var values) ? string.Join(", ", values) : null;
}
