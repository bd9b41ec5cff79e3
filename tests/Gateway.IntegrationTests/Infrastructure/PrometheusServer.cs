using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A real Prometheus with the repository's config and rules (deploy/prometheus), rewritten only to scrape the
/// test gateway's admin port (and a traffic generator's /metrics, when the test runs one) every second, with
/// exemplar storage on as docker-compose.yml runs it. Data lives in a temp folder removed on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly string _directory;

    private PrometheusServer(ServerProcess process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Api = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Api { get; }

    public static async Task<PrometheusServer> StartAsync(Uri gatewayAdmin, Uri? traffic = null)
    {
        var source = Path.Combine(Repository.Root, "deploy", "prometheus");
        var directory = Directory.CreateTempSubdirectory("gateway-prometheus-").FullName;
        var config = File.ReadAllText(Path.Combine(source, "prometheus.yml"));
        Assert.Contains("  scrape_interval: 5s", config, StringComparison.Ordinal);
        Assert.Contains("      - targets: [\"gateway:8081\"]", config, StringComparison.Ordinal);
        Assert.Contains("      - targets: [\"traffic:5010\"]", config, StringComparison.Ordinal);
        // Without a generator the traffic job scrapes a closed port (down), as it is outside compose.
        var trafficTarget = traffic?.Authority ?? $"127.0.0.1:{ClosedPort.Next()}";
        config = config
            .Replace("  scrape_interval: 5s", "  scrape_interval: 1s", StringComparison.Ordinal)
            .Replace("      - targets: [\"gateway:8081\"]", $"      - targets: [\"{gatewayAdmin.Authority}\"]", StringComparison.Ordinal)
            .Replace("      - targets: [\"traffic:5010\"]", $"      - targets: [\"{trafficTarget}\"]", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(directory, "prometheus.yml"), config);
        Directory.CreateDirectory(Path.Combine(directory, "rules"));
        foreach (var rules in Directory.GetFiles(Path.Combine(source, "rules")))
        {
            File.Copy(rules, Path.Combine(directory, "rules", Path.GetFileName(rules)));
        }

        var port = FreePort.Next();
        var process = new ServerProcess("prometheus",
        [
            $"--config.file={Path.Combine(directory, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--enable-feature=exemplar-storage",
        ]);
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        await Eventually.HoldsAsync(server.IsReadyAsync, $"prometheus is ready on port {port}", seconds: 30);
        return server;
    }

    /// <summary>An instant query; fails the test with Prometheus' own error when the query is not valid.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        var response = await Api.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        Assert.True(response.GetProperty("status").GetString() == "success", $"{promql}: {response}");
        return response.GetProperty("data").GetProperty("result");
    }

    /// <summary>A range query over the last <paramref name="span"/> at a 1 s step (how Grafana runs annotation queries).</summary>
    public async Task<JsonElement> QueryRangeAsync(string promql, TimeSpan span)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var start = end - (long)span.TotalSeconds;
        var response = await Api.GetFromJsonAsync<JsonElement>(
            $"api/v1/query_range?query={Uri.EscapeDataString(promql)}&start={start}&end={end}&step=1");
        Assert.True(response.GetProperty("status").GetString() == "success", $"{promql}: {response}");
        return response.GetProperty("data").GetProperty("result");
    }

    /// <summary>The exemplars Prometheus stored for a selector over the last <paramref name="span"/>.</summary>
    public async Task<JsonElement> QueryExemplarsAsync(string promql, TimeSpan span)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var response = await Api.GetFromJsonAsync<JsonElement>(
            $"api/v1/query_exemplars?query={Uri.EscapeDataString(promql)}&start={end - (long)span.TotalSeconds}&end={end + 1}");
        Assert.True(response.GetProperty("status").GetString() == "success", $"{promql}: {response}");
        return response.GetProperty("data");
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<bool> IsReadyAsync()
    {
        Assert.False(_process.HasExited, "prometheus exited: " + _process.Output);
        try
        {
            using var response = await Api.GetAsync(new Uri("-/ready", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
