using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>Every response counted exactly once on :8081/metrics, by class, code and the origin that decided it.</summary>
public sealed class MetricsTests : PerTestGateway
{
    [Fact]
    public async Task Each_response_is_counted_once_with_the_code_and_origin_the_client_saw()
    {
        var bob = await Tokens.LoginAsync(Client, "bob");
        using (var maintenance = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{ "enabled": true, "routes": ["pages"] }"""))
        {
            maintenance.EnsureSuccessStatusCode();
        }

        var seen = new List<(int Code, string Origin)>();
        async Task SendAsync(HttpMethod method, string path, string? token = null, HttpContent? content = null)
        {
            // Expect: 100-continue lets a refused body (413) be answered before it is sent, instead of a broken pipe.
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.ExpectContinue = content is not null;
            if (token is not null)
            {
                Tokens.Bearer(request, token);
            }

            using var response = await Client.SendAsync(request);
            seen.Add(((int)response.StatusCode, await OriginOfAsync(response)));
        }

        await SendAsync(HttpMethod.Get, "/api/users/1");
        await SendAsync(HttpMethod.Get, "/api/users/424242");
        await SendAsync(HttpMethod.Get, "/api/crash");
        await SendAsync(HttpMethod.Get, "/chaos/status/503");
        await SendAsync(HttpMethod.Get, "/api/profile");
        await SendAsync(HttpMethod.Delete, "/api/admin/users/2", bob);
        await SendAsync(HttpMethod.Get, "/no/such/route");
        await SendAsync(HttpMethod.Post, "/api/users", content: new ByteArrayContent(new byte[2 * 1024 * 1024]));
        await SendAsync(HttpMethod.Get, "/unreachable/x");
        await SendAsync(HttpMethod.Get, "/old-url");
        await SendAsync(HttpMethod.Get, "/chaos/slow?ms=3000");
        for (var i = 0; i < 12; i++)
        {
            await SendAsync(HttpMethod.Get, "/api/search?q=phones");
        }

        var (_, samples) = await MetricsScrape.ReadAsync(Gateway);
        // Login above went through the gateway too.
        seen.Add((200, "upstream"));
        foreach (var group in seen.GroupBy(response => response))
        {
            var counted = samples.Sum("gateway_responses_total", labels =>
                labels["code"] == group.Key.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) && labels["origin"] == group.Key.Origin);
            Assert.True(group.Count() == counted, $"{group.Key.Code} {group.Key.Origin}: client saw {group.Count()}, metrics counted {counted}");
        }

        Assert.Equal(seen.Count, samples.Sum("gateway_responses_total"));
        Assert.Equal(seen.Count, samples.Sum("gateway_request_duration_seconds_count"));
        foreach (var origin in new[] { "upstream", "auth", "no_route", "limits", "unreachable", "maintenance", "timeout", "ratelimit" })
        {
            Assert.Contains(seen, response => response.Origin == origin);
        }

        Assert.Equal(2, samples.Sum("gateway_ratelimit_rejections_total", labels => labels["route"] == "search" && labels["policy"] == "search"));
        Assert.Equal(1, samples.Sum("gateway_maintenance_active", labels => labels["route"] == "pages"));
        Assert.Equal(0, samples.Sum("gateway_maintenance_active", labels => labels["route"] == "users-api"));
        Assert.Equal(seen.Count(response => response.Code == 504), samples.Sum("gateway_responses_total", labels => labels["class"] == "5xx" && labels["origin"] == "timeout"));
    }

    [Fact]
    public async Task Random_paths_and_queries_never_become_label_values()
    {
        async Task SendRandomAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var noise = Guid.NewGuid().ToString("N");
                using var unmatched = await Client.GetAsync(new Uri($"/{noise}/{i}?q={noise}", UriKind.Relative));
                using var upstream = await Client.GetAsync(new Uri($"/api/users/{noise}?x={noise}", UriKind.Relative));
                using var odd = new HttpRequestMessage(new HttpMethod("BREW" + i), $"/api/users/{noise}");
                using var oddResponse = await Client.SendAsync(odd);
            }
        }

        await SendRandomAsync(5);
        var (first, _) = await MetricsScrape.ReadAsync(Gateway);
        await SendRandomAsync(50);
        var (second, samples) = await MetricsScrape.ReadAsync(Gateway);

        Assert.Equal(CountSeries(first), CountSeries(second));
        Assert.DoesNotContain("BREW", second, StringComparison.Ordinal);
        Assert.Equal(55, samples.Sum("gateway_responses_total", labels => labels["route"] == "none" && labels["origin"] == "no_route"));
        Assert.Equal(110, samples.Sum("gateway_responses_total", labels => labels["route"] == "users-api"));
        Assert.Equal(55, samples.Sum("gateway_responses_total", labels => labels["method"] == "OTHER"));
    }

    [Fact]
    public async Task Destination_health_and_config_reload_results_are_exported()
    {
        await Eventually.HoldsAsync(async () =>
        {
            var (_, samples) = await MetricsScrape.ReadAsync(Gateway);
            return samples.Sum("gateway_destination_healthy", labels => labels["cluster"] == "nowhere-checked") == 0
                && samples.Sum("gateway_destination_healthy", labels => labels["cluster"] == "users") == 2
                && samples.Sum("gateway_destination_unhealthy", labels => labels["cluster"] == "nowhere-checked" && labels["check"] == "active") == 1
                && samples.Sum("gateway_destination_unhealthy", labels => labels["cluster"] == "nowhere-checked" && labels["check"] == "passive") == 0;
        }, "the unhealthy destination shows 0 (marked by the active check) and both users destinations 1");

        var (_, beforeEdits) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(0, beforeEdits.Sum("gateway_config_last_reload_duration_seconds"));
        Config.Edit(json => json["ReverseProxy"]!["Routes"]!["chaos"]!["ClusterId"] = "gone");
        await Eventually.HoldsAsync(async () =>
        {
            var (_, samples) = await MetricsScrape.ReadAsync(Gateway);
            return samples.Sum("gateway_config_last_reload_success") == 0
                && samples.Sum("gateway_config_last_reload_duration_seconds") is > 0 and < 30
                && samples.Sum("gateway_config_reloads_total", labels => labels["result"] == "failure") == 1
                && samples.Sum("gateway_config_last_reload_rejected_info", labels => labels["section"] == "ReverseProxy") == 1;
        }, "a rejected edit shows as last reload failed, naming the section of its error");

        var good = Config.Read();
        Config.WriteText("{ \"ReverseProxy\": ");
        await Eventually.HoldsAsync(async () =>
        {
            var (_, samples) = await MetricsScrape.ReadAsync(Gateway);
            return samples.Sum("gateway_config_last_reload_rejected_info", labels => labels["section"] == "json") == 1
                && samples.Count(sample => sample.Name == "gateway_config_last_reload_rejected_info") == 1;
        }, "a file that does not parse is section json, and the info has one series");

        good["ReverseProxy"]!["Routes"]!["chaos"]!["ClusterId"] = "chaos";
        Config.Write(good);
        await Eventually.HoldsAsync(async () =>
        {
            var (text, samples) = await MetricsScrape.ReadAsync(Gateway);
            return samples.Sum("gateway_config_last_reload_success") == 1
                && !text.Contains("gateway_config_last_reload_rejected_info{", StringComparison.Ordinal);
        }, "an applied edit leaves no rejected-info series");
    }

    [Fact]
    public async Task OpenMetrics_exposition_carries_the_trace_id_of_a_request_as_the_duration_exemplar()
    {
        using var response = await Client.GetAsync(new Uri("/no/route/exemplar", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var traceId = problem.GetProperty("traceId").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");
        using var scrape = await Gateway.Admin.SendAsync(request);
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal("application/openmetrics-text", scrape.Content.Headers.ContentType?.MediaType);
        var exemplars = text.Split('\n').Where(line => line.Contains(" # {", StringComparison.Ordinal)).ToList();
        Assert.Contains(exemplars, line => line.StartsWith("gateway_request_duration_seconds_bucket{route=\"none\",class=\"4xx\",origin=\"no_route\"", StringComparison.Ordinal)
            && line.Contains($"# {{trace_id=\"{traceId}\",span_id=\"", StringComparison.Ordinal));
        // Only the duration histogram carries exemplars (each costs exposition bytes and, elsewhere, per-call work).
        Assert.All(exemplars, line => Assert.StartsWith("gateway_request_duration_seconds_bucket{", line, StringComparison.Ordinal));

        // The plain text format (what promtool and older scrapers read) has none.
        var (plain, _) = await MetricsScrape.ReadAsync(Gateway);
        Assert.DoesNotContain(" # {", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Series_of_a_route_removed_from_the_config_disappear_and_the_others_stay()
    {
        using (await Client.GetAsync(new Uri("/chaos/status/503", UriKind.Relative)))
        using (await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative)))
        {
        }

        var (before, _) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Contains("route=\"chaos\"", before, StringComparison.Ordinal);

        Config.Edit(json => json["ReverseProxy"]!["Routes"]!.AsObject().Remove("chaos"));
        await Eventually.HoldsAsync(async () =>
        {
            var (text, samples) = await MetricsScrape.ReadAsync(Gateway);
            return !text.Contains("route=\"chaos\"", StringComparison.Ordinal)
                && samples.Sum("gateway_responses_total", labels => labels["route"] == "users-api") >= 1;
        }, "no series names the removed route; users-api keeps its count");
    }

    [RealComponentFact("promtool")]
    public async Task The_exposition_passes_promtool_check_metrics()
    {
        using (await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative)))
        using (await Client.GetAsync(new Uri("/unreachable/x", UriKind.Relative)))
        {
        }

        var (text, _) = await MetricsScrape.ReadAsync(Gateway);
        var check = new ProcessStartInfo(RealComponents.Require("promtool"), "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(check)!;
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0, output);
    }

    private static int CountSeries(string exposition) =>
        exposition.Split('\n').Count(line => line.Length > 0 && line[0] != '#');

    private static async Task<string> OriginOfAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return "upstream";
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("origin", out var origin) ? origin.GetString()! : "upstream";
    }
}
