using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>Every gateway-made problem's type resolves on the gateway to an explanation, with the route's real facts.</summary>
public sealed class StatusGuideTests : PerTestGateway
{
    private static readonly int[] GuideCodes = [100, 101, 200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 408, 409, 410, 413, 414, 422, 429, 431, 500, 502, 503, 504];

    // Access log for everything, so each origin's line can be checked.
    protected override string[] GatewayArgs => ["--AccessLog:MinStatus=0"];

    [Fact]
    public async Task Every_gateway_made_problem_type_resolves_to_a_page_in_html_and_json()
    {
        var problems = await ProduceEveryOriginAsync();
        Assert.Equal(["auth", "limits", "maintenance", "no_healthy", "no_route", "ratelimit", "timeout", "unreachable"], problems.Keys.Order());

        foreach (var (origin, problem) in problems)
        {
            var type = problem.GetProperty("type").GetString()!;
            var status = problem.GetProperty("status").GetInt32();
            Assert.StartsWith($"/_gateway/status/{status}?origin={origin}", type, StringComparison.Ordinal);

            using var json = await GetAsync(type, "application/json");
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            var page = await json.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(status, page.GetProperty("code").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(page.GetProperty("reachedFrom").GetProperty("explanation").GetString()), origin);

            using var html = await GetAsync(type, "text/html,application/xhtml+xml,*/*;q=0.8");
            Assert.Equal(HttpStatusCode.OK, html.StatusCode);
            Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
            var text = await html.Content.ReadAsStringAsync();
            Assert.Contains($"<h1>{status} ", text, StringComparison.Ordinal);
            Assert.Contains("Why you got it here", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/_gateway/status/429?origin=ratelimit", "8 RESOURCE_EXHAUSTED")]
    [InlineData("/_gateway/status/503?origin=maintenance", "14 UNAVAILABLE")]
    [InlineData("/_gateway/status/504?origin=timeout", "4 DEADLINE_EXCEEDED")]
    [InlineData("/_gateway/status/404?origin=no_route", "12 UNIMPLEMENTED")]
    [InlineData("/_gateway/status/404?origin=upstream", null)]
    public async Task A_guide_page_names_what_a_grpc_call_gets_from_its_origin(string path, string? expected)
    {
        using var json = await GetAsync(path, "application/json");
        var page = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, page.GetProperty("reachedFrom").GetProperty("grpcStatus").GetString());

        using var html = await GetAsync(path, "text/html");
        Assert.Equal(expected is not null, (await html.Content.ReadAsStringAsync()).Contains($"grpc-status: {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Explanations_name_the_routes_real_timeout_policy_and_maintenance_end()
    {
        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["chaos"]!["Timeout"] = "00:00:01");
        Assert.Contains("00:00:01", await ExplanationAsync("/_gateway/status/504?origin=timeout&route=chaos"), StringComparison.Ordinal);
        Assert.Contains("10 requests per 00:00:10", await ExplanationAsync("/_gateway/status/429?origin=ratelimit&route=search"), StringComparison.Ordinal);

        var until = DateTimeOffset.UtcNow.AddHours(2);
        using (var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: $$"""{ "enabled": true, "routes": ["users-api"], "message": "Moving to new disks.", "until": "{{until:O}}" }"""))
        {
            put.EnsureSuccessStatusCode();
        }

        var maintenance = await ExplanationAsync("/_gateway/status/503?origin=maintenance&route=users-api");
        Assert.Contains("Moving to new disks.", maintenance, StringComparison.Ordinal);
        Assert.Contains(until.ToString("O", CultureInfo.InvariantCulture)[..16], maintenance, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 24, finding 9: the public guide showed any route's destination ids and their health to whoever asked. They
    /// are for operators: the public port's pages explain the status and what to do; the admin port's pages (the same
    /// paths) add which destination is unhealthy and by which check.
    /// </summary>
    [Fact]
    public async Task Public_pages_never_name_destinations_or_their_health_the_admin_ports_pages_do()
    {
        await Eventually.HoldsAsync(
            async () => (await ExplanationAsync("/_gateway/status/503?origin=no_healthy&route=unhealthy", Gateway.Admin))
                .Contains("closed-port: unhealthy by the active probes", StringComparison.Ordinal),
            "the admin port's page names the destination the active probes took out");
        Assert.Contains("users-1: available; users-2: available",
            await ExplanationAsync("/_gateway/status/503?origin=no_healthy&route=users-api", Gateway.Admin), StringComparison.Ordinal);

        string[] destinations = ["users-1", "users-2", "chaos-1", "closed-port"];
        string[] routes = ["users-api", "chaos", "unreachable", "unhealthy"];
        var pages = 0;
        foreach (var code in GuideCodes)
        {
            using var page = await GetAsync($"/_gateway/status/{code}", "application/json");
            var origins = (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("origins").EnumerateArray().Select(origin => origin.GetString()!);
            foreach (var (origin, route) in origins.SelectMany(origin => routes.Select(route => (origin, route))))
            {
                foreach (var accept in new[] { "application/json", "text/html" })
                {
                    using var answer = await GetAsync($"/_gateway/status/{code}?origin={origin}&route={route}", accept);
                    var text = await answer.Content.ReadAsStringAsync();
                    Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                    var named = destinations.Where(destination => text.Contains(destination, StringComparison.Ordinal)).ToList();
                    Assert.True(named.Count == 0, $"{code} {origin} {route} ({accept}) names {string.Join(", ", named)}");
                    pages++;
                }
            }
        }

        Assert.True(pages > 200, $"only {pages} pages read");
        var unhealthy = await ExplanationAsync("/_gateway/status/503?origin=no_healthy&route=unhealthy");
        Assert.DoesNotContain("active probes", unhealthy, StringComparison.Ordinal);
        Assert.Contains("admin port", unhealthy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_quick_reference_lists_every_code_by_class_and_is_never_rate_limited_or_in_maintenance()
    {
        using (var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{ "enabled": true }"""))
        {
            put.EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 30; i++)
        {
            using var list = await GetAsync("/_gateway/status", "application/json");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            if (i == 0)
            {
                var body = await list.Content.ReadFromJsonAsync<JsonElement>();
                var codes = body.GetProperty("classes").EnumerateArray()
                    .SelectMany(group => group.GetProperty("codes").EnumerateArray().Select(code => code.GetProperty("code").GetInt32()));
                Assert.Equal(GuideCodes, codes);
            }
        }

        foreach (var code in GuideCodes)
        {
            using var page = await GetAsync($"/_gateway/status/{code}", "application/json");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using var unknown = await GetAsync("/_gateway/status/299", "application/json");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>
    /// Issue 25: a 20 KB query got Kestrel's 414 with an empty body, and the guide had no page for it. The codes Kestrel
    /// makes before the gateway now have pages that say so, with the limits this gateway runs with (the root config's).
    /// </summary>
    [Theory]
    [InlineData(400, "a header line without a colon", "Kestrel:Limits")]
    [InlineData(408, "RequestHeadersTimeout", "00:00:05 here")]
    [InlineData(414, "MaxRequestLineSize", "8192 bytes here")]
    [InlineData(431, "MaxRequestHeadersTotalSize", "32768 bytes here")]
    public async Task The_codes_kestrel_makes_before_the_gateway_are_explained_with_the_limits_in_force(int code, string cause, string limit)
    {
        using var json = await GetAsync($"/_gateway/status/{code}", "application/json");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var note = (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("beforeGateway").GetString()!;
        Assert.Contains(cause, note, StringComparison.Ordinal);
        Assert.Contains(limit, note, StringComparison.Ordinal);
        Assert.Contains("empty body", note, StringComparison.Ordinal);

        using var html = await GetAsync($"/_gateway/status/{code}", "text/html");
        Assert.Contains("Made by Kestrel before the gateway", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_20_KB_query_is_kestrels_empty_414_and_its_page_exists()
    {
        var answer = await Reliability.RawHttp.SendAsync(Client.BaseAddress!,
            $"GET /api/search?q={new string('a', 20_000)} HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(answer.Status == 414, answer.Raw.Length > 300 ? answer.Raw[..300] : answer.Raw);
        Assert.Equal("", answer.Body);
        Assert.Contains("Connection: close", answer.Raw, StringComparison.OrdinalIgnoreCase);

        using var list = await GetAsync("/_gateway/status", "text/html");
        Assert.Contains("414 URI Too Long", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_made_errors_keep_their_own_bodies()
    {
        using var response = await Client.GetAsync(new Uri("/chaos/status/503", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain("/_gateway/", body.GetProperty("type").GetString() ?? "", StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("origin", out _));
    }

    [Fact]
    public async Task The_access_log_has_one_structured_line_per_response_with_every_field()
    {
        var problems = await ProduceEveryOriginAsync();
        using var user = await Client.GetAsync(new Uri("/chaos/slow?ms=0", UriKind.Relative));
        var userBody = await user.Content.ReadAsByteArrayAsync();
        using (await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/no/route/for/head")))
        {
        }

        await Eventually.HoldsAsync(() => Task.FromResult(
            AccessLines().Select(fields => (string)fields["Origin"]!).Distinct().Count() >= problems.Count + 1), "every origin has an access log line");
        string[] expected = ["Time", "Method", "Route", "Path", "Status", "StatusClass", "Origin", "Destination", "DurationMs", "UpstreamMs", "Retries", "Bytes", "Client", "trace_id", "span_id"];
        foreach (var origin in problems.Keys.Append("upstream"))
        {
            var line = AccessLines().First(fields => (string)fields["Origin"]! == origin);
            Assert.All(expected, field => Assert.True(line.ContainsKey(field), $"{origin}: no {field}"));
            Assert.DoesNotContain("?", (string)line["Path"]!, StringComparison.Ordinal);
            Assert.Matches("^[0-9a-f]{16}$", (string)line["Client"]!);
            Assert.Matches("^[0-9a-f]{32}$", (string)line["trace_id"]!);
            Assert.Matches("^[0-9a-f]{16}$", (string)line["span_id"]!);
            // Problems and the users API's JSON are chunked (no Content-Length): the bytes are counted as sent.
            Assert.True(Convert.ToInt64(line["Bytes"], CultureInfo.InvariantCulture) > 0, $"{origin}: bytes {line["Bytes"]}");
        }

        // Logs to traces: each problem's traceId is the trace_id of its own line.
        Assert.All(problems, pair => Assert.Contains(AccessLines(), fields => (string)fields["trace_id"]! == pair.Value.GetProperty("traceId").GetString()));

        var proxied = AccessLines().First(fields => (string)fields["Origin"]! == "upstream" && (string)fields["Path"]! == "/chaos/slow");
        Assert.Equal("chaos-1", proxied["Destination"]);
        Assert.IsType<double>(proxied["UpstreamMs"]);
        // The text line says what the fields say; "-" where no upstream was called (the JSON field is null there).
        var entries = Gateway.Logs.Entries.Where(entry => entry.Category == "Gateway.AccessLog").ToList();
        Assert.Contains(entries, entry => entry.Fields["UpstreamMs"] is null);
        Assert.All(entries, entry => Assert.Contains(
            entry.Fields["UpstreamMs"] is double ms ? FormattableString.Invariant($" upstream={ms}ms ") : " upstream=- ", entry.Message, StringComparison.Ordinal));
        Assert.True(user.Headers.TransferEncodingChunked, "the chaos service answers JSON chunked: only counting gives its bytes");
        Assert.Equal((long)userBody.Length, Convert.ToInt64(proxied["Bytes"], CultureInfo.InvariantCulture));
        // A HEAD answer's body is dropped by Kestrel: nothing was sent, whatever was written.
        await Eventually.HoldsAsync(() => Task.FromResult(AccessLines().Any(fields => (string)fields["Path"]! == "/no/route/for/head")), "the HEAD line");
        var head = AccessLines().First(fields => (string)fields["Path"]! == "/no/route/for/head");
        Assert.Equal(0L, Convert.ToInt64(head["Bytes"], CultureInfo.InvariantCulture));
    }

    private IEnumerable<IReadOnlyDictionary<string, object?>> AccessLines() =>
        Gateway.Logs.Entries.Where(entry => entry.Category == "Gateway.AccessLog").Select(entry => entry.Fields);

    /// <summary>One gateway-made problem per origin, through the real routes of the root config.</summary>
    private async Task<Dictionary<string, JsonElement>> ProduceEveryOriginAsync()
    {
        var problems = new Dictionary<string, JsonElement>();
        async Task KeepAsync(HttpRequestMessage request)
        {
            using var response = await Client.SendAsync(request);
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (problem.TryGetProperty("origin", out var origin))
                {
                    problems[origin.GetString()!] = problem;
                }
            }

            request.Dispose();
        }

        await KeepAsync(new HttpRequestMessage(HttpMethod.Get, "/api/profile"));
        await KeepAsync(new HttpRequestMessage(HttpMethod.Get, "/no/route"));
        await KeepAsync(new HttpRequestMessage(HttpMethod.Get, "/unreachable/x"));
        await KeepAsync(new HttpRequestMessage(HttpMethod.Get, "/chaos/slow?ms=3000"));
        var big = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        big.Headers.ExpectContinue = true;
        await KeepAsync(big);
        for (var i = 0; i < 11; i++)
        {
            await KeepAsync(new HttpRequestMessage(HttpMethod.Get, "/api/search?q=x"));
        }

        await Eventually.HoldsAsync(async () =>
        {
            await KeepAsync(new HttpRequestMessage(HttpMethod.Get, "/unhealthy/x"));
            return problems.ContainsKey("no_healthy");
        }, "the unhealthy cluster answers 503 no_healthy");
        using (var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{ "enabled": true, "routes": ["pages"] }"""))
        {
            put.EnsureSuccessStatusCode();
        }

        await KeepAsync(new HttpRequestMessage(HttpMethod.Get, "/old-url"));
        return problems;
    }

    private async Task<string> ExplanationAsync(string path, HttpClient? port = null)
    {
        using var response = await GetAsync(path, "application/json", port);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("reachedFrom").GetProperty("explanation").GetString()!;
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string accept, HttpClient? port = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await (port ?? Client).SendAsync(request);
    }
}
