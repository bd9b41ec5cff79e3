using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Hosting;
using Gateway.IntegrationTests.Grpc;
using Gateway.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Samples.Grpc.V1;
using Samples.Traffic;

namespace Gateway.IntegrationTests;

/// <summary>
/// The shipped Prometheus config, rules and Grafana dashboards against a real Prometheus scraping a real
/// gateway (and a real traffic generator's incidents): per-class totals equal what the client counted, every
/// panel's and every annotation's query runs and has data, and an exemplar leads from a 504 to its trace id.
/// </summary>
public sealed class PrometheusDashboardsTests(GrpcSample sample) : PerTestGateway, IClassFixture<GrpcSample>
{
    // gRPC needs HTTP/2: over the TLS listener (ALPN), so the HTTP/1.1 mix keeps its cleartext port.
    protected override string[] GatewayArgs => ["--Gateway:Urls:PublicTls=https://127.0.0.1:0"];

    protected override Action<System.Text.Json.Nodes.JsonObject>? ConfigBeforeStart => json =>
    {
        json["Overload"]!["Clusters"]!["chaos"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "PermitLimit": 1, "QueueLimit": 0 }""");
        sample.AddRoute(json);
    };

    [RealComponentFact("prometheus")]
    public async Task Prometheus_totals_match_the_client_and_every_dashboard_query_has_data()
    {
        var trafficMetrics = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var prometheus = await PrometheusServer.StartAsync(Gateway.Admin.BaseAddress!, trafficMetrics);
        var counted = await SendKnownMixAsync();

        await Eventually.HoldsAsync(async () =>
        {
            var result = await prometheus.QueryAsync("sum by (class) (gateway_responses_total)");
            var totals = result.EnumerateArray().ToDictionary(
                series => series.GetProperty("metric").GetProperty("class").GetString()!,
                series => (int)double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
            return counted.All(pair => totals.GetValueOrDefault(pair.Key) == pair.Value) && totals.Count == counted.Count;
        }, "Prometheus' per-class totals equal the client's: " + string.Join(", ", counted), seconds: 30);

        // What the annotations mark: a traffic generator's incident (its own /metrics) and a rejected edit (left
        // rejected, so the rejected-section panel has data too; the last good config keeps serving).
        using var stopTraffic = new CancellationTokenSource();
        var traffic = StartTrafficWithAnIncident(trafficMetrics, stopTraffic.Token);
        try
        {
            Config.WriteText("{ \"ReverseProxy\": ");

            // Rates need a few scrapes after the traffic (queries run over the last minute): poll until every panel has data.
            var empty = new List<string>();
            await Eventually.HoldsAsync(async () =>
            {
                empty = await PanelsWithoutDataAsync(prometheus);
                empty.AddRange(await AnnotationsWithoutDataAsync(prometheus));
                return empty.Count == 0;
            }, () => "panels and annotations without data:\n" + string.Join('\n', empty), seconds: 30);
        }
        finally
        {
            await stopTraffic.CancelAsync();
            await traffic;
        }

        var rules = await prometheus.Api.GetFromJsonAsync<JsonElement>("api/v1/rules");
        var loaded = rules.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(8, loaded.Count);
        Assert.All(loaded, rule => Assert.Equal("ok", rule.GetProperty("health").GetString()));
    }

    [RealComponentFact("prometheus")]
    public async Task A_504s_trace_id_is_an_exemplar_in_prometheus()
    {
        await using var prometheus = await PrometheusServer.StartAsync(Gateway.Admin.BaseAddress!);
        using var response = await Client.GetAsync(new Uri("/chaos/slow?ms=2500", UriKind.Relative));
        Assert.Equal(504, (int)response.StatusCode);
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString()!;

        // Prometheus asks for OpenMetrics (the only format with exemplars) and, with exemplar-storage, keeps them.
        var stored = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            var data = await prometheus.QueryExemplarsAsync("gateway_request_duration_seconds_bucket{route=\"chaos\",origin=\"timeout\"}", TimeSpan.FromMinutes(5));
            stored = [.. data.EnumerateArray().SelectMany(series => series.GetProperty("exemplars").EnumerateArray())
                .Select(exemplar => exemplar.GetProperty("labels").TryGetProperty("trace_id", out var id) ? id.GetString()! : "")];
            return stored.Contains(traceId);
        }, () => $"an exemplar with trace_id {traceId} (stored: {string.Join(", ", stored)})", seconds: 30);
    }

    /// <summary>Each dashboard's annotation queries, as Grafana runs them: a range query over the test's minutes.</summary>
    private static async Task<List<string>> AnnotationsWithoutDataAsync(PrometheusServer prometheus)
    {
        var empty = new List<string>();
        foreach (var file in DashboardFiles())
        {
            using var dashboard = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var annotation in dashboard.RootElement.GetProperty("annotations").GetProperty("list").EnumerateArray())
            {
                var expr = annotation.GetProperty("expr").GetString()!;
                var hasData = false;
                foreach (var route in RoutesWithTraffic.Append("pages"))
                {
                    var query = expr.Replace("$route", route, StringComparison.Ordinal);
                    hasData |= (await prometheus.QueryRangeAsync(query, TimeSpan.FromMinutes(3))).GetArrayLength() > 0;
                }

                if (!hasData)
                {
                    empty.Add($"{Path.GetFileName(file)} / annotation {annotation.GetProperty("name").GetString()}: {expr}");
                }
            }
        }

        return empty;
    }

    /// <summary>A real traffic generator, serving its incident gauge where Prometheus scrapes it; its one incident is on from the start.</summary>
    private Task StartTrafficWithAnIncident(Uri metrics, CancellationToken stop)
    {
        var generator = new TrafficGenerator(new TrafficOptions
        {
            Gateway = Client.BaseAddress!,
            Urls = metrics.ToString(),
            Scenario = new Scenario
            {
                RatePerSecond = 2,
                Requests = [new TrafficRequest { Path = "/api/users/1" }],
                Incidents = [new Incident { Name = "test incident", DurationSeconds = 3600, Requests = [new TrafficRequest { Path = "/api/users/424242" }] }],
            },
        });
        return generator.RunAsync(stop);
    }

    private static async Task<List<string>> PanelsWithoutDataAsync(PrometheusServer prometheus)
    {
        var empty = new List<string>();
        foreach (var (dashboard, title, expr) in DashboardQueries())
        {
            // A per-route panel must show data for some route the mix reached (502/503/504 only exist on some).
            var hasData = false;
            foreach (var route in RoutesWithTraffic)
            {
                var query = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$route", route, StringComparison.Ordinal);
                hasData |= (await prometheus.QueryAsync(query)).GetArrayLength() > 0;
            }

            if (!hasData)
            {
                empty.Add($"{dashboard} / {title}: {expr}");
            }
        }

        return empty;
    }

    private static readonly string[] RoutesWithTraffic = ["search", "users-api", "chaos", "unreachable", "unhealthy", "grpc-test"];

    /// <summary>Traffic that touches every panel: all classes, gateway- and upstream-made errors, 429s, maintenance.</summary>
    private async Task<Dictionary<string, int>> SendKnownMixAsync()
    {
        using (var maintenance = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{ "enabled": true, "routes": ["pages"] }"""))
        {
            maintenance.EnsureSuccessStatusCode();
        }

        string[] paths =
        [
            "/api/users/1", "/api/users/2", "/chaos/status/201", "/old-url", "/api/users/424242", "/api/profile",
            "/no/route", "/api/crash", "/chaos/status/503", "/unreachable/x", "/unhealthy/x", "/chaos/slow?ms=2500",
            "/api/products", "/api/products",
        ];
        var counted = new Dictionary<string, int>();
        void Count(int status) => counted[$"{status / 100}xx"] = counted.GetValueOrDefault($"{status / 100}xx") + 1;
        for (var round = 0; round < 2; round++)
        {
            foreach (var path in paths.Concat(Enumerable.Repeat("/api/search?q=phones", 8)))
            {
                using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
                Count((int)response.StatusCode);
            }
        }

        // A burst over the chaos cluster's limit (set to 1 for this class): two forwarded one after the other at most, the rest shed.
        var burst = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Client.GetAsync(new Uri("/chaos/slow?ms=800", UriKind.Relative))));
        foreach (var response in burst)
        {
            Count((int)response.StatusCode);
            response.Dispose();
        }

        Assert.Contains(burst, response => (int)response.StatusCode == 503);

        // A client that leaves a slow request: 499 (origin client).
        using (var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.GetAsync(new Uri("/chaos/slow?ms=2000", UriKind.Relative), leave.Token));
            Count(499);
        }

        // gRPC: an OK call, an error inside HTTP 200, and a stream the upstream resets after the headers (all three HTTP 200).
        await SendGrpcAsync();
        counted["2xx"] += 3;
        return counted;
    }

    private async Task SendGrpcAsync()
    {
        var url = Gateway.Services.GetRequiredService<GatewayListeners>().PublicTlsUrl!;
        using var handler = new SocketsHttpHandler();
        // The demo mode's self-signed certificate: which one does not matter here.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null;
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var client = new Sample.SampleClient(channel);
        Assert.Equal(7, (await client.GetAsync(new GetRequest { Id = 7 })).Id);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetRequest { Id = 1, FailWith = (int)StatusCode.Unavailable }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        using var reset = client.Watch(new WatchRequest { Count = 5, ResetAfter = 2 });
        await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in reset.ResponseStream.ReadAllAsync())
            {
            }
        });
    }

    private static IEnumerable<(string Dashboard, string Title, string Expr)> DashboardQueries()
    {
        foreach (var file in DashboardFiles())
        {
            using var dashboard = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in Panels(dashboard.RootElement))
            {
                if (!panel.TryGetProperty("targets", out var targets))
                {
                    continue;
                }

                foreach (var target in targets.EnumerateArray().Where(target => target.TryGetProperty("expr", out _)))
                {
                    yield return (Path.GetFileName(file), panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!);
                }
            }
        }
    }

    private static string[] DashboardFiles() => Directory.GetFiles(Path.Combine(Repository.Root, "grafana", "dashboards"), "*.json");

    internal static IEnumerable<JsonElement> Panels(JsonElement container) =>
        container.TryGetProperty("panels", out var panels)
            ? panels.EnumerateArray().SelectMany(panel => Panels(panel).Prepend(panel))
            : [];
}
