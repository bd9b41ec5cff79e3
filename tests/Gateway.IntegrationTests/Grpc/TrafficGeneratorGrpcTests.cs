using System.Text.Json.Nodes;
using Gateway.Hosting;
using Gateway.IntegrationTests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Samples.Traffic;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>
/// Issue 27: the traffic generator's gRPC calls go through a real gateway's TLS listener (h2 by ALPN, the demo's
/// self-signed certificate accepted with GrpcInsecure) to the real gRPC sample, and the gateway counts each by the
/// grpc-status the generator got.
/// </summary>
public sealed class TrafficGeneratorGrpcTests(GrpcSample sample) : PerTestGateway, IClassFixture<GrpcSample>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    protected override string[] GatewayArgs => ["--Gateway:Urls:PublicTls=https://127.0.0.1:0"];

    protected override Action<JsonObject>? ConfigBeforeStart => config =>
        config["ReverseProxy"]!["Clusters"]!["grpc"]!["Destinations"]!["grpc-1"]!["Address"] = sample.GrpcUrl.ToString();

    [Fact]
    public void Options_read_GrpcGateway_and_GrpcInsecure_and_reject_bad_values()
    {
        var none = TrafficOptions.FromConfiguration(new ConfigurationBuilder().Build());
        Assert.Null(none.GrpcGateway);
        Assert.False(none.GrpcInsecure);

        var set = TrafficOptions.FromConfiguration(new ConfigurationBuilder()
            .AddCommandLine(["--GrpcGateway", "https://gateway:8443", "--GrpcInsecure", "true"]).Build());
        Assert.Equal(new Uri("https://gateway:8443"), set.GrpcGateway);
        Assert.True(set.GrpcInsecure);

        static string Rejected(params string[] args) => Assert.Throws<FormatException>(
            () => TrafficOptions.FromConfiguration(new ConfigurationBuilder().AddCommandLine(args).Build())).Message;
        Assert.Contains("GrpcGateway must be an absolute http(s) URL", Rejected("--GrpcGateway", "gateway:8443"), StringComparison.Ordinal);
        Assert.Contains("GrpcInsecure must be true or false", Rejected("--GrpcInsecure", "yes"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_calls_ok_failed_and_streamed_arrive_and_the_gateway_counts_them_by_grpc_status()
    {
        var tls = Gateway.Services.GetRequiredService<GatewayListeners>().PublicTlsUrl!;
        using var output = new StringWriter();
        var generator = new TrafficGenerator(new TrafficOptions
        {
            Gateway = Client.BaseAddress!,
            GrpcGateway = tls,
            GrpcInsecure = true,
            RatePerSecond = 50,
            // Stopped by its duration, so every call in flight finishes: none is cut and counted differently on each side.
            Duration = TimeSpan.FromSeconds(8),
            SummaryInterval = TimeSpan.FromSeconds(1),
            Incidents = false,
            Output = output,
            Scenario = Scenario.Parse("""{ "requests": [ { "path": "/chaos/slow?ms=1" } ] }"""),
        });

        await generator.RunAsync(CancellationToken.None).WaitAsync(HangGuard);

        var counts = generator.Tally.Snapshot();
        var seen = $"grpc seen: {counts.ToGrpcCodes()}\n{output}";
        // One pick in five is a gRPC call; of those one in ten asks the sample for a failure, one in ten streams.
        // (the 4th call asks for UNAVAILABLE, the 8th streams; a loaded machine may send fewer than the rate asks).
        Assert.True(counts.Grpc >= 10 && counts.GrpcCode(StatusCode.OK) > 0 && counts.GrpcCode(StatusCode.Unavailable) > 0, seen);
        Assert.Equal(counts.GrpcCode(StatusCode.Unavailable) + counts.GrpcCode(StatusCode.NotFound)
            + counts.GrpcCode(StatusCode.ResourceExhausted) + counts.GrpcCode(StatusCode.PermissionDenied) + counts.GrpcCode(StatusCode.Internal), counts.GrpcNotOk);
        Assert.True(counts.Failed == 0 && counts.Cancelled == 0, seen);
        var text = output.ToString();
        Assert.Contains($"gRPC to {tls} (any certificate)", text, StringComparison.Ordinal);
        Assert.Contains($"grpc {counts.Grpc} (not OK {counts.GrpcNotOk})", text, StringComparison.Ordinal);

        // Counted when the gateway's response ends, which may be just after the generator read it.
        string last = "";
        await Eventually.HoldsAsync(async () =>
        {
            var metrics = (await MetricsScrape.ReadAsync(Gateway)).Samples;
            var byCode = Enum.GetValues<StatusCode>().Select(code => (Name: TrafficCounts.GrpcName(code), Gateway: metrics.Sum(
                "gateway_grpc_responses_total", l => l["route"] == "grpc" && l["code"] == TrafficCounts.GrpcName(code) && l["origin"] == "upstream"), Generator: counts.GrpcCode(code))).ToList();
            last = string.Join(", ", byCode.Where(c => c.Gateway + c.Generator > 0).Select(c => $"{c.Name}: gateway {c.Gateway}, generator {c.Generator}"));
            return byCode.All(c => c.Gateway == c.Generator) && metrics.Sum("gateway_grpc_responses_total") == counts.Grpc;
        }, () => $"the gateway's gRPC counts equal the generator's ({last})", seconds: 10);
    }
}
