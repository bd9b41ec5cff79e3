using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Samples.Traffic;

namespace Gateway.IntegrationTests;

/// <summary>The traffic generator against a real gateway: every class, the same counts as the gateway's metrics, clean stops.</summary>
public sealed partial class TrafficGeneratorTests : PerTestGateway
{
    /// <summary>Only a guard against a hang (the runs here last seconds): generous for a loaded machine, not a speed requirement.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private static readonly string[] Classes = ["0xx", "1xx", "2xx", "3xx", "4xx", "5xx"];

    [Fact]
    public async Task Default_scenario_makes_every_class_and_its_tally_equals_the_gateway_metrics()
    {
        var (_, before) = await MetricsScrape.ReadAsync(Gateway);
        using var output = new StringWriter();
        var generator = new TrafficGenerator(new TrafficOptions
        {
            Gateway = Client.BaseAddress!,
            RatePerSecond = 80,
            Duration = TimeSpan.FromSeconds(5),
            SummaryInterval = TimeSpan.FromSeconds(1),
            // The default schedule's search storm (60 s) and upstream slowness (120 s) fall inside the 5 s run.
            IncidentTimeScale = 60,
            Output = output,
        });

        await generator.RunAsync(CancellationToken.None).WaitAsync(HangGuard);

        var counts = generator.Tally.Snapshot();
        var seen = $"codes seen: {counts.ToCodes()}\n{output}";
        Assert.True(counts.Failed == 0 && counts.Cancelled == 0, seen);
        foreach (var hundreds in new[] { 1, 2, 3, 4, 5 })
        {
            Assert.True(counts.Class(hundreds) > 0, $"no {hundreds}xx; {seen}");
        }

        foreach (var code in new[] { 101, 200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404, 409, 410, 422, 429, 502 })
        {
            Assert.True(counts.Code(code) > 0, $"no {code}; {seen}");
        }

        Assert.Contains("(incident: ", output.ToString(), StringComparison.Ordinal);

        // Everything the generator got an answer for (logins included) is what the gateway counted, class by class.
        string last = "";
        await Eventually.HoldsAsync(async () =>
        {
            var (_, after) = await MetricsScrape.ReadAsync(Gateway);
            var gateway = after.ResponsesByClassSince(before, Classes);
            last = string.Join(", ", gateway.Select(pair => $"{pair.Key}: gateway {pair.Value}, generator {(counts.ByClass.TryGetValue(pair.Key, out var n) ? n : 0)}"));
            return gateway.All(pair => pair.Value == (counts.ByClass.TryGetValue(pair.Key, out var n) ? n : 0));
        }, () => $"the gateway's per-class counts equal the generator's ({last})", seconds: 5);
    }

    /// <summary>
    /// The spike is wider than the generator's concurrent picks, as the demo's (150 against 32): its requests must reach
    /// the gateway at once, not wait for the picks' connections (they waited up to the 30 s timeout, and nothing was shed).
    /// </summary>
    [Fact]
    public async Task A_load_spike_of_parallel_requests_is_shed_as_503_overload_by_the_clusters_limit()
    {
        await Gateway.EditConfigAsync(Config, json =>
            json["Overload"]!["Clusters"]!["chaos"] = System.Text.Json.Nodes.JsonNode.Parse("""{ "PermitLimit": 4, "QueueLimit": 0 }"""));
        using var output = new StringWriter();
        var generator = new TrafficGenerator(new TrafficOptions
        {
            Gateway = Client.BaseAddress!,
            MaxInFlight = 2,
            RatePerSecond = 4,
            SummaryInterval = TimeSpan.FromSeconds(30),
            Output = output,
            Scenario = Scenario.Parse("""{ "requests": [ { "path": "/chaos/slow?ms=800", "parallel": 10 } ] }"""),
        });
        using var stop = new CancellationTokenSource();
        var run = generator.RunAsync(stop.Token);
        await Eventually.HoldsAsync(() => Task.FromResult(generator.Tally.Snapshot() is var counts && counts.Code(200) > 0 && counts.Code(503) > 0),
            () => $"200s and 503s from the spikes: {generator.Tally.Snapshot().ToCodes()}", seconds: 10);
        await stop.CancelAsync();
        await run.WaitAsync(HangGuard);

        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.True(metrics.Sum("gateway_responses_total", labels => labels["origin"] == "overload") > 0, "the 503s are the gateway's, origin overload");
    }

    [Fact]
    public async Task Cancellation_stops_promptly_cancels_in_flight_requests_and_writes_the_total()
    {
        using var text = new StringWriter();
        // The generator writes while the test reads what it has written so far: one lock for both.
        using var output = TextWriter.Synchronized(text);
        var generator = new TrafficGenerator(new TrafficOptions
        {
            Gateway = Client.BaseAddress!,
            RatePerSecond = 30,
            SummaryInterval = TimeSpan.FromMilliseconds(250),
            Output = output,
            Scenario = Scenario.Parse("""
                { "requests": [
                    { "weight": 1, "path": "/api/users/1" },
                    { "weight": 1, "path": "/chaos/slow?ms=1900" } ],
                  "incidents": [ { "name": "outage", "durationSeconds": 60, "requests": [ { "path": "/unreachable/x" } ] } ] }
                """),
        });
        using var stop = new CancellationTokenSource();
        var run = generator.RunAsync(stop.Token);
        // Running until stopped: wait for 200s, 502s and three summaries (one in the incident), not a fixed time.
        // Slow requests (1.9 s) are started all along, so some are in flight whenever the stop comes.
        await Eventually.HoldsAsync(() =>
        {
            var counts = generator.Tally.Snapshot();
            return Task.FromResult(counts.Code(200) > 0 && counts.Code(502) > 0 && SummaryLines(Written()).Count >= 3
                && SummaryLines(Written()).Any(line => line.EndsWith("(incident: outage)", StringComparison.Ordinal)));
        }, () => $"200s, 502s and three summaries, one in the incident; so far:\n{Written()}", seconds: 10);
        Assert.False(run.IsCompleted);

        await stop.CancelAsync();
        // Prompt means the in-flight requests are cancelled, not waited for (Cancelled > 0 below): the bound only guards against a hang.
        await run.WaitAsync(HangGuard);

        var counts = generator.Tally.Snapshot();
        Assert.True(counts.Cancelled > 0, "slow requests in flight were cancelled");
        Assert.True(counts.Code(200) > 0 && counts.Code(502) > 0 && counts.Failed == 0, counts.ToCodes());

        var lines = Lines(Written());
        Assert.StartsWith("traffic: 30/s", lines[0], StringComparison.Ordinal);
        var periodic = SummaryLines(Written());
        Assert.True(periodic.Count >= 3, string.Join('\n', lines));
        Assert.Contains(periodic, line => line.EndsWith("(incident: outage)", StringComparison.Ordinal));
        Assert.Matches(@"^total \d+\.\d s  sent \d+  2xx \d+  3xx \d+  4xx \d+  5xx \d+  failed 0  cancelled \d+$", lines[^2]);
        Assert.StartsWith("codes  200 x", lines[^1], StringComparison.Ordinal);

        string Written()
        {
            lock (output)
            {
                return text.ToString();
            }
        }
    }

    [Fact]
    public async Task Without_summaries_only_the_start_line_and_the_total_are_written_for_a_host_with_its_own_summary()
    {
        using var output = new StringWriter();
        var generator = new TrafficGenerator(new TrafficOptions
        {
            Gateway = Client.BaseAddress!,
            Scenario = Scenario.Parse("""{ "ratePerSecond": 50, "requests": [ { "weight": 1, "path": "/api/users/1" } ] }"""),
            Duration = TimeSpan.FromSeconds(1),
            // Ten intervals pass in the run: each would have written a line.
            SummaryInterval = TimeSpan.FromMilliseconds(100),
            Summaries = false,
            Output = output,
        });

        await generator.RunAsync(CancellationToken.None).WaitAsync(HangGuard);

        var lines = Lines(output.ToString());
        Assert.True(generator.Tally.Snapshot().Code(200) > 0, output.ToString());
        Assert.Empty(SummaryLines(output.ToString()));
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("traffic: 50/s", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("total ", lines[1], StringComparison.Ordinal);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<string> SummaryLines(string output) => [.. Lines(output).Where(line => SummaryLine().IsMatch(line))];

    [Fact]
    public async Task The_command_line_stops_on_cancellation_with_exit_code_0_and_a_total()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var exit = await TrafficCli.RunAsync(
            ["--Gateway", Client.BaseAddress!.ToString(), "--Rate", "20", "--SummaryInterval", "0.5", "--no-incidents"],
            output, error, stop.Token).WaitAsync(HangGuard);

        Assert.Equal(0, exit);
        Assert.Equal("", error.ToString());
        Assert.Contains("incidents off", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^total .* failed 0", RegexOptions.Multiline), output.ToString());
    }

    /// <summary>A request with no answer is counted with why (a soak once counted 3,994 failures and could not say why).</summary>
    [Fact]
    public async Task Requests_to_a_closed_port_are_counted_failed_as_connection_refused()
    {
        var port = ClosedPort.Next();
        using var output = new StringWriter();
        var generator = new TrafficGenerator(new TrafficOptions
        {
            Gateway = new Uri($"http://127.0.0.1:{port}/"),
            RatePerSecond = 20,
            Duration = TimeSpan.FromSeconds(1),
            Incidents = false,
            Output = output,
        });

        await generator.RunAsync(CancellationToken.None).WaitAsync(HangGuard);

        var counts = generator.Tally.Snapshot();
        Assert.True(counts.Failed > 0, output.ToString());
        Assert.Equal(counts.Failed, counts.FailureReasons.GetValueOrDefault("connection_refused"));
        Assert.Contains($"failed connection_refused x{counts.Failed}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_scenario_fails_with_a_message_naming_the_problem_not_a_stack_trace()
    {
        var directory = Directory.CreateTempSubdirectory("traffic-test-").FullName;
        try
        {
            var broken = Path.Combine(directory, "broken.json");
            File.WriteAllText(broken, "{ \"requests\": [ { \"path\": \"/api/users/1\" ");
            var error = Assert.Throws<ScenarioException>(() => new TrafficGenerator(new TrafficOptions { ScenarioPath = broken }));
            Assert.Contains(broken, error.Message, StringComparison.Ordinal);
            Assert.Contains("line 1", error.Message, StringComparison.Ordinal);

            var noPath = Path.Combine(directory, "no-path.json");
            File.WriteAllText(noPath, """{ "requests": [ { "path": "/api/users/1" }, { "name": "create", "method": "POST" } ] }""");
            error = Assert.Throws<ScenarioException>(() => new TrafficGenerator(new TrafficOptions { ScenarioPath = noPath }));
            Assert.Contains("requests[1] ('create'): a request needs a \"path\"", error.Message, StringComparison.Ordinal);

            var typo = Path.Combine(directory, "typo.json");
            File.WriteAllText(typo, """{ "requests": [ { "pth": "/api/users/1" } ] }""");
            error = Assert.Throws<ScenarioException>(() => new TrafficGenerator(new TrafficOptions { ScenarioPath = typo }));
            Assert.Contains("'pth'", error.Message, StringComparison.Ordinal);

            // Two incidents of one name would be one traffic_incident_active series written twice.
            error = Assert.Throws<ScenarioException>(() => Scenario.Parse("""
                { "requests": [ { "path": "/api/users/1" } ],
                  "incidents": [ { "name": "outage", "durationSeconds": 5, "requests": [ { "path": "/unreachable/x" } ] },
                                 { "name": "outage", "durationSeconds": 5, "requests": [ { "path": "/chaos/garbage" } ] } ] }
                """));
            Assert.Contains("incidents[1] ('outage'): another incident has this \"name\"", error.Message, StringComparison.Ordinal);

            error = Assert.Throws<ScenarioException>(() => new TrafficGenerator(new TrafficOptions { ScenarioPath = Path.Combine(directory, "missing.json") }));
            Assert.Contains("Cannot read the scenario file", error.Message, StringComparison.Ordinal);

            // The command line prints the message, no stack trace, and exits 2.
            using var output = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await TrafficCli.RunAsync(["--Scenario", noPath, "--Gateway", Client.BaseAddress!.ToString()], output, stderr, CancellationToken.None);
            Assert.Equal(2, exit);
            Assert.StartsWith($"traffic: {noPath} is not a valid scenario: requests[1]", stderr.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", stderr.ToString(), StringComparison.Ordinal);
            Assert.Equal("", output.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Options_come_from_the_command_line_and_TRAFFIC_environment_names()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["GATEWAY"] = "http://gateway:8080", ["RATE"] = "7" })
            .AddCommandLine(["--Rate", "12.5", "--Duration", "90s", "--SummaryInterval", "2", "--IncidentTimeScale", "60", "--Incidents", "false"])
            .Build();
        var options = TrafficOptions.FromConfiguration(configuration);
        Assert.Equal(new Uri("http://gateway:8080"), options.Gateway);
        Assert.Equal(12.5, options.RatePerSecond);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), options.SummaryInterval);
        Assert.Equal(60, options.IncidentTimeScale);
        Assert.False(options.Incidents);

        var bad = new ConfigurationBuilder().AddCommandLine(["--Gateway", "localhost:8080"]).Build();
        Assert.Contains("Gateway must be an absolute http(s) URL", Assert.Throws<FormatException>(() => TrafficOptions.FromConfiguration(bad)).Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d  sent \d+  2xx \d+  3xx \d+  4xx \d+  5xx \d+  failed \d+")]
    private static partial Regex SummaryLine();
}
