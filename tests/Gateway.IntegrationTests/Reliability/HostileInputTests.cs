using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// Invariant 5: hostile input. Kestrel answers malformed HTTP itself (empty-bodied 400/414/431, before any
/// middleware, so not counted in gateway_responses_total); the gateway must never route such tricks where
/// they should not go, and no body may carry a stack trace, an exception type or an internal address.
/// </summary>
/// <remarks>One gateway for the class (a fresh one per case would cost a second each): every case leaves the state as it found it.</remarks>
public sealed class HostileInputTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly Bodies _bodies = new(nameof(HostileInputTests));

    private GatewayInstance Gateway => fixture.Gateway;

    private HttpClient Client => fixture.Gateway.Public;

    private Uri Public => Client.BaseAddress!;

    public static TheoryData<string, string, int> MalformedRequests() => new()
    {
        { "NUL in the request target", "GET /api/us\0ers/1 HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "extra token in the request line", "GET /api/users/1 HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400 },
        { "no HTTP version", "GET /api/users/1\r\nHost: x\r\n\r\n", 400 },
        { "unknown version", "GET /api/users/1 HTTP/7.1\r\nHost: x\r\n\r\n", 505 },
        { "space in a header name", "GET /api/users/1 HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400 },
        { "header line without a colon", "GET /api/users/1 HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400 },
        { "NUL in a header value", "GET /api/users/1 HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 400 },
        { "bare CR in a header value", "GET /api/users/1 HTTP/1.1\r\nHost: x\r\nX-A: a\rX-Injected: 1\r\n\r\n", 400 },
        { "obsolete line folding (header injection)", "GET /api/users/1 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4\r\n X-Injected: 1\r\n\r\n", 400 },
        { "two different Content-Length", "POST /chaos/status/200 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400 },
        { "two equal Content-Length", "POST /chaos/status/200 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400 },
        { "a list as Content-Length", "POST /chaos/status/200 HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello", 400 },
        { "negative Content-Length", "POST /chaos/status/200 HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400 },
        { "chunked not last", "POST /chaos/status/200 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400 },
        { "no Host", "GET /api/users/1 HTTP/1.1\r\n\r\n", 400 },
        { "two Host", "GET /api/users/1 HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400 },
        { "absolute form naming another host", "GET http://evil.example/api/users/1 HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task A_malformed_request_is_refused_by_status_with_no_body_and_only_one_answer(string name, string request, int status)
    {
        var answer = await RawHttp.SendAsync(Public, request);
        _bodies.Add(name, answer.Body);
        Assert.True(answer.Status == status, $"{name}: {answer.Raw}");
        Assert.Equal("", answer.Body);
        // Nothing after the 400 (a smuggled second request must not be answered).
        Assert.Equal(1, CountOccurrences(answer.Raw, "HTTP/1.1 "));
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        _bodies.AssertNoInternals();
    }

    [Fact]
    public async Task Content_Length_with_chunked_is_read_as_chunked_answered_once_and_the_connection_closed()
    {
        // RFC 9112 §6.1: Transfer-Encoding overrides Content-Length, and the server MUST close the connection after
        // answering (Kestrel does not reject it with 400, which RFC 9112 also allows). The smuggled second request
        // (GET /chaos/status/418 after the empty chunked body) must never be answered.
        var answer = await RawHttp.SendAsync(Public,
            "POST /chaos/status/200 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /chaos/status/418 HTTP/1.1\r\nHost: x\r\n\r\n");
        _bodies.Add("CL and TE", answer.Body);
        Assert.True(answer.Status is 200 or 400, answer.Raw);
        Assert.Equal(1, CountOccurrences(answer.Raw, "HTTP/1.1 "));
        Assert.DoesNotContain("418", answer.Raw, StringComparison.Ordinal);
        Assert.True(answer.Closed, "the connection stayed open after a request with both Content-Length and Transfer-Encoding");
        _bodies.AssertNoInternals();
    }

    [Fact]
    // Found by this suite and fixed: Kestrel's HTTP/1.1 parser accepts a bare CR inside the request target ("GET /api/users/1\rX HTTP/1.1"):
    // the request is routed (users-api) and forwarded, and the users API answers 404. RFC 9112 §2.2 says a bare
    // CR is invalid and must be rejected or replaced by SP before processing. YARP re-encodes the path (%0D), so
    // no request splitting reaches the upstream, but a careful gateway answers 400. Decided by Kestrel's
    // HttpParser, before any gateway middleware. Suggested fix (src/Gateway, first middleware of the public port):
    // reject with 400 any request whose IHttpRequestFeature.RawTarget contains a control character (< 0x20 or 0x7F).
    public async Task A_bare_CR_in_the_request_target_is_400()
    {
        var answer = await RawHttp.SendAsync(Public, "GET /api/users/1\rX HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        _bodies.Add("bare CR in the target", answer.Body);
        _bodies.AssertNoInternals();
        Assert.True(answer.Status == 400, answer.Raw);
    }

    [Fact]
    public async Task Oversized_headers_are_431_a_long_request_line_414_and_an_oversized_body_413()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1"))
        {
            request.Headers.Add("X-Big", new string('a', 40 * 1024));
            using var response = await Client.SendAsync(request);
            await _bodies.ReadAsync(response);
            Assert.Equal(431, (int)response.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1"))
        {
            // Many small headers add up: the limit is on the total.
            for (var i = 0; i < 400; i++)
            {
                request.Headers.Add($"X-H{i}", new string('b', 100));
            }

            using var response = await Client.SendAsync(request);
            await _bodies.ReadAsync(response);
            Assert.Equal(431, (int)response.StatusCode);
        }

        using (var response = await Client.GetAsync(new Uri("/api/users/" + new string('1', 10_000), UriKind.Relative)))
        {
            await _bodies.ReadAsync(response);
            Assert.Equal(414, (int)response.StatusCode);
        }

        // (A declared length over the limit: LimitsTests.) A body that lies about its length (declares less than it sends) cannot sneak past the limit either.
        var chunked = await RawHttp.SendAsync(Public,
            "POST /api/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
            + string.Concat(Enumerable.Repeat("4000\r\n" + new string('a', 0x4000) + "\r\n", 80)) + "0\r\n\r\n");
        _bodies.Add("chunked 1.25 MiB", chunked.Body);
        Assert.True(chunked.Status == 413, chunked.Raw.Length > 500 ? chunked.Raw[..500] : chunked.Raw);

        Assert.Equal(200, await StatusAsync("/api/users/1"));
        _bodies.AssertNoInternals();
    }

    public static TheoryData<string, string, int[]> PathTricks() => new()
    {
        // Dot segments (plain and percent-encoded) are removed by Kestrel before routing: /admin/* is no public route.
        { "GET", "/api/../admin/routes", [404] },
        { "GET", "/api/%2e%2e/admin/routes", [404] },
        { "GET", "/%2e%2e/%2e%2e/admin/routes", [404] },
        { "GET", "/api/%2E%2E/%2E%2E/metrics", [404] },
        // Encoded slashes stay encoded: "admin%2Fusers" is one segment, so users-api (no auth) forwards it and the users API finds nothing.
        { "DELETE", "/api/admin%2Fusers/1", [404] },
        { "DELETE", "/api/admin%2fusers%2f1", [404] },
        // Double slashes are not collapsed: the gateway's user-admin route does not match and neither does the upstream's.
        { "DELETE", "/api//admin/users/1", [404] },
        { "DELETE", "//api/admin/users/1", [404] },
        // Every spelling that does normalise to /api/admin/... meets the admin route's auth.
        { "DELETE", "/api/./admin/users/1", [401] },
        { "DELETE", "/api/%61dmin/users/1", [401] },
        { "DELETE", "/api/ADMIN/users/1", [401] },
        { "DELETE", "/api/x/../admin/users/1", [401] },
        { "DELETE", "/chaos/%2e%2e/api/admin/users/1", [401] },
        { "DELETE", "/api/admin/users/1%00", [401, 400] },
    };

    [Theory]
    [MemberData(nameof(PathTricks))]
    public async Task A_path_trick_never_reaches_a_route_it_should_not_and_deletes_nothing(string method, string path, int[] allowed)
    {
        var answer = await RawHttp.SendAsync(Public, $"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        _bodies.Add($"{method} {path}", answer.Body);
        Assert.True(allowed.Contains(answer.Status), $"{method} {path}: {answer.Raw}");
        Assert.DoesNotContain("configReloads", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway_responses_total", answer.Body, StringComparison.Ordinal);
        // User 1 (alice) and user 2 are still there: no trick reached the users API's delete.
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        _bodies.AssertNoInternals();
    }

    [Fact]
    public async Task Client_supplied_forwarded_headers_do_not_reach_the_upstream_as_the_client_wrote_them()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/headers");
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Prefix", "/evil");
        request.Headers.Add("Forwarded", "for=6.6.6.6;host=evil.example;proto=https");
        using var response = await Client.SendAsync(request);
        // This body is the chaos service echoing its own request headers (Host is its own loopback address):
        // an upstream's answer, passed through unchanged, so it is kept out of the internals scan on purpose.
        var received = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
        var headers = new Dictionary<string, string>(received, StringComparer.OrdinalIgnoreCase);

        // No trusted proxies are configured: the gateway sets X-Forwarded-* from what it saw itself.
        Assert.Equal("127.0.0.1", headers["X-Forwarded-For"]);
        Assert.Equal("http", headers["X-Forwarded-Proto"]);
        Assert.Equal(Public.Authority, headers["X-Forwarded-Host"]);
        Assert.False(headers.ContainsKey("X-Forwarded-Prefix"), "X-Forwarded-Prefix from the client reached the upstream");
        Assert.False(headers.ContainsKey("Forwarded"), "Forwarded from the client reached the upstream");
    }

    [Fact]
    // Found by this suite and fixed: the gateway replaces X-Forwarded-For/-Host/-Proto/-Prefix and drops Forwarded (YARP's default
    // X-Forwarded transform, action Set), but passes the other client-IP headers a client may forge untouched:
    // sent "X-Real-IP: 6.6.6.6" and "True-Client-IP: 6.6.6.6" to GET /chaos/headers, the chaos service received
    // both as sent. An upstream that believes X-Real-IP (a common nginx convention) sees a forged client address.
    // Decided by YARP's request header copy (RequestHeadersCopy=true, no transform for these names). Suggested fix:
    // a gateway-wide request transform (AddRequestTransform in src/Gateway/Routing) that removes X-Real-IP,
    // True-Client-IP, X-Client-IP, CF-Connecting-IP, X-Original-URL and X-Rewrite-URL unless the peer is a trusted proxy.
    public async Task Client_ip_headers_a_client_can_forge_are_not_passed_to_the_upstream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/headers");
        request.Headers.Add("X-Real-IP", "6.6.6.6");
        request.Headers.Add("True-Client-IP", "6.6.6.6");
        using var response = await Client.SendAsync(request);
        var received = new Dictionary<string, string>((await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!, StringComparer.OrdinalIgnoreCase);
        Assert.False(received.ContainsKey("X-Real-IP"), $"X-Real-IP reached the upstream: {received.GetValueOrDefault("X-Real-IP")}");
        Assert.False(received.ContainsKey("True-Client-IP"), $"True-Client-IP reached the upstream: {received.GetValueOrDefault("True-Client-IP")}");
    }

    public static TheoryData<string, string, int> HostileAdminBodies() => new()
    {
        { "deeply nested", new string('[', 10_000) + new string(']', 10_000), 400 },
        { "nested object in a field", """{ "enabled": true, "message": { "a": { "b": [1, 2, 3] } } }""", 400 },
        { "trailing garbage", """{ "enabled": true } { "enabled": false }""", 400 },
        { "a JSON string", "\"enabled\"", 400 },
        { "null", "null", 400 },
        { "number overflow", """{ "enabled": true, "retryAfterSeconds": 1e400 }""", 400 },
        { "huge", $$"""{ "enabled": true, "routes": [{{string.Join(",", Enumerable.Repeat("\"users-api\"", 20_000))}}] }""", 413 },
        { "type names in a field name", """{ "enabled": true, "System.NullReferenceException at": 1 }""", 400 },
    };

    [Theory]
    [MemberData(nameof(HostileAdminBodies))]
    public async Task A_hostile_admin_body_is_refused_and_nothing_changes(string name, string body, int status)
    {
        using var before = await Gateway.AdminAsync(HttpMethod.Get, "/admin/maintenance");
        var stateBefore = await before.Content.ReadAsStringAsync();

        using var response = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: body);
        var text = await _bodies.ReadAsync(response);
        Assert.True((int)response.StatusCode == status, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (name != "type names in a field name")
        {
            // The whole problem: status, title, traceId, origin, nothing internal (not for the field named like a type, echoed back on purpose: below).
            await ProblemAssert.IsGatewayProblemAsync(response, status, "gateway");
        }

        using var after = await Gateway.AdminAsync(HttpMethod.Get, "/admin/maintenance");
        Assert.Equal(stateBefore, await after.Content.ReadAsStringAsync());
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        if (name != "type names in a field name")
        {
            _bodies.AssertNoInternals();
        }
        else
        {
            // The unknown field is named back to the caller (it is the caller's own text), but no more than that.
            Assert.DoesNotContain("Gateway.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_admin_body_that_is_not_UTF_8_is_400_and_nothing_changes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/admin/maintenance")
        {
            Content = new ByteArrayContent([.. "{ \"enabled\": true, \"message\": \""u8, 0xFF, 0xFE, .. "\" }"u8]),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Admin-Key", GatewayInstance.AdminKey);
        using var response = await Gateway.Admin.SendAsync(request);
        var text = await _bodies.ReadAsync(response);
        Assert.True((int)response.StatusCode == 400, text);
        using var state = await Gateway.AdminAsync(HttpMethod.Get, "/admin/maintenance");
        Assert.False((await state.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        _bodies.AssertNoInternals();
    }

    [Fact]
    public async Task A_chunked_admin_body_over_the_limit_is_413_without_a_declared_length()
    {
        var body = $$"""{ "enabled": true, "message": "{{new string('x', 100_000)}}" }""";
        var raw = await RawHttp.SendAsync(Gateway.Admin.BaseAddress!,
            "PUT /admin/maintenance HTTP/1.1\r\nHost: x\r\nX-Admin-Key: demo-admin-key\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + $"{Encoding.UTF8.GetByteCount(body):x}\r\n{body}\r\n0\r\n\r\n");
        _bodies.Add("chunked admin body", raw.Body);
        Assert.True(raw.Status == 413, raw.Raw.Length > 500 ? raw.Raw[..500] : raw.Raw);
        using var state = await Gateway.AdminAsync(HttpMethod.Get, "/admin/maintenance");
        Assert.False((await state.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        _bodies.AssertNoInternals();
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private Task<int> StatusAsync(string path) => Client.StatusAsync(path);
}
