using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// A gateway-made 502/503/504 is logged once: in its access-log line when the access log writes one, else as the
/// forwarding warning; either line names the route, the origin, the destination, the trace and why the forward failed.
/// </summary>
public sealed class UpstreamFailureLogTests
{
    private const string FailureCategory = "Gateway.Forwarding.UpstreamFailureMiddleware";

    [Fact]
    public async Task With_the_access_log_on_the_access_line_is_the_one_line_and_carries_the_failure()
    {
        await using var run = await FailureRun.StartAsync();

        var traceId = await run.UnreachableAsync();

        var lines = run.LinesOf(traceId);
        var line = Assert.Single(lines);
        Assert.Equal("Gateway.AccessLog", line.Category);
        Assert.Equal("unreachable", line.Fields["Route"]);
        Assert.Equal("unreachable", line.Fields["Origin"]);
        Assert.Equal("closed-port", line.Fields["Destination"]);
        Assert.Equal("Request", line.Fields["Error"]);
        Assert.Contains("refused", (string)line.Fields["Reason"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(" error=Request reason=\"", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Gateway.Logs.Entries, entry => entry.Category == FailureCategory);
    }

    [Theory]
    [InlineData("--AccessLog:Enabled=false")]
    [InlineData("--AccessLog:MinStatus=503")] // the 502 is filtered out of the access log
    public async Task Without_an_access_line_the_warning_is_the_one_line_and_names_route_origin_destination_and_trace(string accessLog)
    {
        await using var run = await FailureRun.StartAsync(accessLog);

        var traceId = await run.UnreachableAsync();

        var line = Assert.Single(run.LinesOf(traceId));
        Assert.Equal(FailureCategory, line.Category);
        Assert.Equal(502, line.Fields["Status"]);
        Assert.Equal("unreachable", line.Fields["RouteId"]);
        Assert.Equal("unreachable", line.Fields["Origin"]);
        Assert.Equal("closed-port", line.Fields["Destination"]);
        Assert.Contains("refused", line.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(run.Gateway.Logs.Entries, entry => entry.Category == "Gateway.AccessLog" && (string?)entry.Fields["Path"] == "/unreachable/x");
    }

    /// <summary>A gateway on the root config whose client keeps one connection, so a later answer on it means the earlier request is done.</summary>
    private sealed class FailureRun(Upstreams upstreams, TestConfig config, GatewayInstance gateway) : IAsyncDisposable
    {
        private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1, AllowAutoRedirect = false }) { BaseAddress = gateway.Public.BaseAddress };

        public GatewayInstance Gateway => gateway;

        public static async Task<FailureRun> StartAsync(params string[] args)
        {
            var upstreams = new Upstreams();
            await upstreams.InitializeAsync();
            var config = TestConfig.FromRoot(upstreams);
            return new FailureRun(upstreams, config, await GatewayInstance.StartAsync(config.Path, args));
        }

        /// <summary>A 502 unreachable (nothing listens on the route's destination); its trace id, once everything about it is logged.</summary>
        public async Task<string> UnreachableAsync()
        {
            using var response = await _client.GetAsync(new Uri("/unreachable/x", UriKind.Relative));
            var problem = await ProblemAssert.IsGatewayProblemAsync(response, 502, "unreachable");
            // The next answer on the same connection comes after the first request has completed (and logged).
            using var next = await _client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
            return problem.GetProperty("traceId").GetString()!;
        }

        /// <summary>Every entry about the response with this trace id: the access line, and any line naming the trace.</summary>
        public List<LogEntry> LinesOf(string traceId) => Gateway.Logs.Entries
            .Where(entry => Equals(entry.Fields.GetValueOrDefault("trace_id"), traceId) || entry.Message.Contains(traceId, StringComparison.Ordinal)
                || (entry.Category == FailureCategory && Equals(entry.Fields.GetValueOrDefault("RouteId"), "unreachable")))
            .ToList();

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await gateway.DisposeAsync();
            await upstreams.DisposeAsync();
            config.Dispose();
        }
    }
}
