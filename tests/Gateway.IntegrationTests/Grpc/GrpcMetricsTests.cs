using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Samples.Grpc.V1;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>
/// Issue 27, "gRPC outcomes counted": Grpc.Net.Client through a test gateway over h2c to the real gRPC sample. A gRPC
/// error is an HTTP 200; gateway_grpc_responses_total counts it by its grpc-status, and a reset after the headers is
/// counted as aborted.
/// </summary>
public sealed class GrpcMetricsTests(GrpcSample sample) : PerTestGateway, IClassFixture<GrpcSample>
{
    protected override string[] GatewayArgs => ["--Gateway:Protocols:Public=Http2"];

    protected override Action<JsonObject>? ConfigBeforeStart => sample.AddRoute;

    [Fact]
    public async Task An_ok_call_is_counted_ok_and_the_upstreams_failure_by_its_code_inside_http_200()
    {
        using var channel = Channel();
        var client = new Sample.SampleClient(channel);

        Assert.Equal(7, (await client.GetAsync(new GetRequest { Id = 7 })).Id);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetRequest { Id = 1, FailWith = (int)StatusCode.Unavailable }).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var streamed = client.Watch(new WatchRequest { Count = 3, IntervalMs = 1 });
        var replies = 0;
        await foreach (var _ in streamed.ResponseStream.ReadAllAsync())
        {
            replies++;
        }

        Assert.Equal(3, replies);

        // Counted when the gateway's response ends, which may be just after the client read it.
        await Eventually.HoldsAsync(async () => (await ScrapeAsync()).Sum("gateway_grpc_responses_total") == 3, "the three calls are counted");
        var metrics = await ScrapeAsync();
        // Both answers were HTTP 200 from the upstream: only the gRPC series tells them apart.
        Assert.Equal(3, metrics.Sum("gateway_responses_total", l => l["route"] == "grpc-test" && l["code"] == "200" && l["origin"] == "upstream"));
        Assert.Equal(2, metrics.Sum("gateway_grpc_responses_total", l => l["route"] == "grpc-test" && l["code"] == "OK" && l["origin"] == "upstream"));
        Assert.Equal(1, metrics.Sum("gateway_grpc_responses_total", l => l["route"] == "grpc-test" && l["code"] == "UNAVAILABLE" && l["origin"] == "upstream"));
        Assert.Equal(3, metrics.Sum("gateway_protocol_responses_total", l => l["protocol"] == "h2" && l["class"] == "2xx"));
        Assert.Equal(0, metrics.Sum("gateway_responses_aborted_total"));
    }

    [Fact]
    public async Task A_reset_mid_stream_is_counted_aborted_with_the_status_sent_and_no_grpc_status()
    {
        using var channel = Channel();
        var call = new Sample.SampleClient(channel).Watch(new WatchRequest { Count = 5, ResetAfter = 2 });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        });
        // YARP passes the upstream's reset on as RST_STREAM CANCEL, which Grpc.Net.Client maps to CANCELLED.
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);

        await Eventually.HoldsAsync(async () => (await ScrapeAsync()).Sum("gateway_responses_aborted_total", l => l["route"] == "grpc-test" && l["code"] == "200") == 1,
            "the reset after the headers is counted as aborted");
        var metrics = await ScrapeAsync();
        Assert.Equal(1, metrics.Sum("gateway_grpc_responses_total", l => l["route"] == "grpc-test" && l["code"] == "missing"));
        // The upstream broke it, not the client: no 499.
        Assert.Equal(0, metrics.Sum("gateway_responses_total", l => l["code"] == "499"));
        // Its access-log line, though AccessLog:MinStatus is 400: the status sent, class aborted.
        var line = Assert.Single(Gateway.Logs.Entries, entry => entry.Category == "Gateway.AccessLog" && (string?)entry.Fields["Route"] == "grpc-test");
        Assert.Equal((200, "aborted", "upstream"), ((int)line.Fields["Status"]!, (string?)line.Fields["StatusClass"], (string?)line.Fields["Origin"]));
    }

    private GrpcChannel Channel() => GrpcChannel.ForAddress(Client.BaseAddress!);

    private async Task<List<MetricSample>> ScrapeAsync() => (await MetricsScrape.ReadAsync(Gateway)).Samples;
}
