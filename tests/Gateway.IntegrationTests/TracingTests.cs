using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.IntegrationTests;

/// <summary>
/// W3C trace context through the gateway, the trace id in problem bodies, and OTLP export. These send a client's
/// traceparent, so the gateway is told to believe it (which clients it believes: <see cref="TraceContextTrustTests"/>).
/// </summary>
public sealed class TracingTests : PerTestGateway
{
    protected override Action<JsonObject>? ConfigBeforeStart =>
        json => TestConfig.Set(json, ["Tracing", "TrustClientTraceContext"], "Always");

    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ClientTraceparent = $"00-{TraceId}-00f067aa0ba902b7-01";

    [Fact]
    public async Task The_upstream_receives_a_traceparent_continuing_the_clients_trace()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/headers");
        request.Headers.Add("traceparent", ClientTraceparent);
        using var response = await Client.SendAsync(request);
        var headers = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();

        var forwarded = headers!["traceparent"].Split('-');
        Assert.Equal(TraceId, forwarded[1]);
        Assert.NotEqual("00f067aa0ba902b7", forwarded[2]);
    }

    [Fact]
    public async Task The_upstream_continues_the_forwarder_span_with_no_HttpClient_span_and_the_server_span_has_OpenTelemetry_tags()
    {
        // Pins the host's runtime switches (Gateway.IntegrationTests.csproj, like the host projects):
        // System.Net.Http.EnableActivityPropagation=false and SuppressActivityOpenTelemetryData=true (the tags below are
        // the gateway's, ServerSpanTags).
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        var spans = RecordedSpans(traceId, out var listener, everySource: true);
        using var disposeListener = listener;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/headers");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using var response = await Client.SendAsync(request);
        var parent = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["traceparent"].Split('-')[2];

        await Eventually.HoldsAsync(
            () => Task.FromResult(spans.Any(forwarder => forwarder.Source.Name == "Yarp.ReverseProxy" && spans.Any(span => span.Id == forwarder.ParentId))),
            "the forwarder span and its parent to stop");
        var forwarder = Assert.Single(spans, span => span.Source.Name == "Yarp.ReverseProxy");
        Assert.Equal(forwarder.SpanId.ToHexString(), parent);
        Assert.DoesNotContain(spans, span => span.Source.Name.StartsWith("System.Net.Http", StringComparison.Ordinal) || span.OperationName == "System.Net.Http.HttpRequestOut");
        var server = Assert.Single(spans, span => span.Kind == ActivityKind.Server && span.Id == forwarder.ParentId);
        Assert.Equal("GET", server.GetTagItem("http.request.method"));
        Assert.Equal("http", server.GetTagItem("url.scheme"));
        Assert.Equal("/chaos/headers", server.GetTagItem("url.path"));
        Assert.Equal(Client.BaseAddress!.Host, server.GetTagItem("server.address"));
        Assert.Equal(Client.BaseAddress.Port, server.GetTagItem("server.port"));
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        Assert.Equal("1.1", server.GetTagItem("network.protocol.version"));
        Assert.Equal("/chaos/{**rest}", server.GetTagItem("http.route"));
        Assert.Equal("GET /chaos/{**rest}", server.DisplayName);
        Assert.Null(server.GetTagItem("error.type"));
        // The gateway's own source, so an in-process ASP.NET Core instrumentation neither re-parents nor samples it.
        Assert.Equal("Gateway.Hosting", server.Source.Name);
    }

    [Fact]
    public async Task A_span_that_is_not_recorded_gets_no_tags_and_a_failed_answer_is_an_error()
    {
        // Tags are computed for recorded spans only: with 1% head sampling, 99 requests in 100 pay for none.
        const string unsampled = "1af7651916cd43dd8448eb211c80319c";
        const string sampled = "2af7651916cd43dd8448eb211c80319c";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Gateway.Hosting",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => options.TraceId.ToHexString() switch
            {
                sampled => ActivitySamplingResult.AllDataAndRecorded,
                unsampled => ActivitySamplingResult.PropagationData,
                _ => ActivitySamplingResult.None,
            },
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        foreach (var traceId in new[] { unsampled, sampled })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/unreachable/x");
            request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-{(traceId == sampled ? "01" : "00")}");
            using var response = await Client.SendAsync(request);
            Assert.Equal(502, (int)response.StatusCode);
        }

        bool Ours(Activity span) => span.TraceId.ToHexString() is unsampled or sampled;
        await Eventually.HoldsAsync(() => Task.FromResult(spans.Count(Ours) == 2), "both server spans to stop");
        var quiet = Assert.Single(spans, span => span.TraceId.ToHexString() == unsampled);
        Assert.False(quiet.IsAllDataRequested);
        Assert.Empty(quiet.TagObjects);
        var failed = Assert.Single(spans, span => span.TraceId.ToHexString() == sampled);
        Assert.Equal(502, failed.GetTagItem("http.response.status_code"));
        Assert.Equal("502", failed.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
    }

    [Fact]
    public async Task A_request_the_client_abandoned_is_not_tagged_with_a_status_it_was_never_sent()
    {
        // The gateway counts and logs this request as 499 (origin client); YARP's placeholder 400 was never sent.
        const string traceId = "3af7651916cd43dd8448eb211c80319c";
        var spans = RecordedSpans(traceId, out var listener);
        using (listener)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/slow?ms=5000");
            request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
            using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.SendAsync(request, leave.Token));

            await Eventually.HoldsAsync(() => Task.FromResult(!spans.IsEmpty), "the server span to stop");
            var server = Assert.Single(spans);
            Assert.Null(server.GetTagItem("http.response.status_code"));
            Assert.Null(server.GetTagItem("error.type"));
            Assert.Equal("GET /chaos/{**rest}", server.DisplayName);
        }
    }

    [Fact]
    public async Task A_request_refused_before_the_gateways_pipeline_still_carries_the_request_tags()
    {
        // Host filtering (AllowedHosts) answers 400 in a middleware the host puts before UseGateway: ResponseRecorder
        // never runs, and ASP.NET Core's own tags are switched off. The span is tagged when it ends.
        const string traceId = "6af7651916cd43dd8448eb211c80319c";
        var spans = RecordedSpans(traceId, out var listener);
        using (listener)
        {
            await using var filtering = await GatewayInstance.StartAsync(Config.Path, "--AllowedHosts=gateway.example");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/headers");
            request.Headers.Host = "other.example";
            request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
            using var response = await filtering.Public.SendAsync(request);
            Assert.Equal(400, (int)response.StatusCode);

            await Eventually.HoldsAsync(() => Task.FromResult(!spans.IsEmpty), "the server span to stop");
            var server = Assert.Single(spans);
            Assert.Equal("GET", server.GetTagItem("http.request.method"));
            Assert.Equal("/chaos/headers", server.GetTagItem("url.path"));
            Assert.Equal("other.example", server.GetTagItem("server.address"));
            Assert.Equal(400, server.GetTagItem("http.response.status_code"));
        }
    }

    /// <summary>The spans of one trace, recorded, as they stop: the gateway's server spans, or every source's.</summary>
    private static ConcurrentQueue<Activity> RecordedSpans(string traceId, out ActivityListener listener, bool everySource = false)
    {
        var spans = new ConcurrentQueue<Activity>();
        listener = new ActivityListener
        {
            ShouldListenTo = source => everySource || source.Name == "Gateway.Hosting",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.TraceId.ToHexString() == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = span =>
            {
                if (span.TraceId.ToHexString() == traceId)
                {
                    spans.Enqueue(span);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return spans;
    }

    [Fact]
    public async Task A_gateway_made_problem_carries_the_trace_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/route");
        request.Headers.Add("traceparent", ClientTraceparent);
        using var response = await Client.SendAsync(request);
        var problem = await ProblemAssert.IsGatewayProblemAsync(response, 404, "no_route");
        Assert.Equal(TraceId, problem.GetProperty("traceId").GetString());

        using var fresh = await Client.GetAsync(new Uri("/unreachable/x", UriKind.Relative));
        var traceId = (await ProblemAssert.IsGatewayProblemAsync(fresh, 502, "unreachable")).GetProperty("traceId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
    }

    [Fact]
    public async Task An_upstream_problem_carries_the_same_bare_trace_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/999");
        request.Headers.Add("traceparent", ClientTraceparent);
        using var response = await Client.SendAsync(request);
        Assert.Equal(404, (int)response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TraceId, problem.GetProperty("traceId").GetString());
    }
}

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, spans leave the gateway over OTLP/HTTP.</summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly Upstreams _upstreams = new();
    private readonly ConcurrentQueue<string> _received = new();
    private WebApplication _collector = null!;
    private TestConfig _config = null!;

    public async Task InitializeAsync()
    {
        await _upstreams.InitializeAsync();
        _config = TestConfig.FromRoot(_upstreams);
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        _collector = builder.Build();
        // A stand-in OTLP/HTTP collector: records what arrives, answers an empty (valid) export response.
        _collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _received.Enqueue($"{request.ContentType} {body.Length}");
            return Results.Bytes([], "application/x-protobuf");
        });
        await _collector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _collector.StopAsync();
        await _collector.DisposeAsync();
        await _upstreams.DisposeAsync();
        _config.Dispose();
    }

    [Fact]
    public async Task Spans_are_exported_to_the_configured_endpoint()
    {
        await using var gateway = await GatewayInstance.StartAsync(_config.Path,
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={_collector.Urls.Single()}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "--OTEL_BSP_SCHEDULE_DELAY=200");
        using (await gateway.Public.GetAsync(new Uri("/api/users/1", UriKind.Relative)))
        {
        }

        await Eventually.HoldsAsync(() => Task.FromResult(!_received.IsEmpty), "the collector receives an OTLP export", seconds: 20);
        Assert.StartsWith("application/x-protobuf", _received.First(), StringComparison.Ordinal);
    }
}
