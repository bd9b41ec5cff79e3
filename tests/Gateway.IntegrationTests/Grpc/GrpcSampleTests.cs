using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Samples.Grpc;
using Samples.Grpc.V1;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>
/// The gRPC sample upstream called directly with Grpc.Net.Client (no gateway): each deliberate failure arrives as the
/// StatusCode and message it asked for, so later tests through the gateway can tell the upstream's answers from its own.
/// </summary>
public sealed class GrpcSampleTests(GrpcSample sample) : IClassFixture<GrpcSample>
{
    [Fact]
    public async Task Get_answers_the_id_with_ok()
    {
        using var channel = sample.NewChannel();
        var call = new Sample.SampleClient(channel).GetAsync(new GetRequest { Id = 7 });

        var reply = await call.ResponseAsync;

        Assert.Equal(7, reply.Id);
        Assert.Equal(1, reply.Sequence);
        Assert.False(string.IsNullOrEmpty(reply.ServedBy));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Unauthenticated)]
    public async Task Get_fails_with_the_chosen_status_and_a_message_naming_it(StatusCode code)
    {
        using var channel = sample.NewChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Sample.SampleClient(channel).GetAsync(new GetRequest { Id = 1, FailWith = (int)code }).ResponseAsync);

        Assert.Equal(code, error.StatusCode);
        Assert.Equal($"The gRPC sample answered {code} as asked.", error.Status.Detail);
    }

    [Fact]
    public async Task Watch_fails_with_the_chosen_status_before_any_reply()
    {
        using var channel = sample.NewChannel();
        var call = new Sample.SampleClient(channel).Watch(new WatchRequest { Count = 3, FailWith = (int)StatusCode.Unavailable });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("The gRPC sample answered Unavailable as asked.", error.Status.Detail);
    }

    [Fact]
    public async Task A_delay_within_the_deadline_answers_ok_after_the_delay()
    {
        using var channel = sample.NewChannel();
        var watch = Stopwatch.StartNew();

        var reply = await new Sample.SampleClient(channel).GetAsync(
            new GetRequest { Id = 2, DelayMs = 300 }, deadline: DateTime.UtcNow.AddSeconds(30));

        Assert.Equal(2, reply.Id);
        Assert.True(watch.ElapsedMilliseconds >= 300, $"answered after {watch.ElapsedMilliseconds} ms, before the 300 ms delay");
    }

    [Fact]
    public async Task A_delay_past_the_deadline_is_deadline_exceeded()
    {
        using var channel = sample.NewChannel();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => new Sample.SampleClient(channel).GetAsync(
            new GetRequest { Id = 3, DelayMs = 30_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the call ended after {watch.Elapsed}, not at its deadline");
    }

    [Fact]
    public async Task Watch_streams_the_count_in_sequence_then_ok()
    {
        using var channel = sample.NewChannel();
        var call = new Sample.SampleClient(channel).Watch(new WatchRequest { Count = 4, IntervalMs = 10 });

        var sequences = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            sequences.Add(reply.Sequence);
        }

        Assert.Equal([1, 2, 3, 4], sequences);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_reset_mid_stream_is_internal_after_the_replies_before_it()
    {
        using var channel = sample.NewChannel();
        var call = new Sample.SampleClient(channel).Watch(new WatchRequest { Count = 5, ResetAfter = 2 });

        var sequences = new List<int>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in call.ResponseStream.ReadAllAsync())
            {
                sequences.Add(reply.Sequence);
            }
        });

        // The headers were a gRPC 200 (ResponseHeadersAsync checks that) and no grpc-status came: Grpc.Net.Client maps
        // the RST_STREAM's INTERNAL_ERROR to INTERNAL (what a gateway must count as a failure, not as its 200).
        Assert.NotNull(await call.ResponseHeadersAsync);
        Assert.Equal([1, 2], sequences);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("INTERNAL_ERROR", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(17, 0)]
    [InlineData(-1, 0)]
    [InlineData(0, -5)]
    [InlineData(0, SampleService.MaxDelayMs + 1)]
    public async Task Knobs_out_of_range_are_invalid_argument(int failWith, int delayMs)
    {
        using var channel = sample.NewChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Sample.SampleClient(channel).GetAsync(new GetRequest { FailWith = failWith, DelayMs = delayMs }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Health_answers_http_1_1_on_its_own_port_and_h2c_on_the_grpc_port()
    {
        Assert.NotEqual(0, sample.GrpcUrl.Port);
        Assert.NotEqual(0, sample.HealthUrl.Port);
        using var http = new HttpClient();

        using var plain = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(sample.HealthUrl, "/healthz")) { Version = HttpVersion.Version11 });
        using var h2c = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(sample.GrpcUrl, "/healthz"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version11, "ok"), (plain.StatusCode, plain.Version, await plain.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20, "ok"), (h2c.StatusCode, h2c.Version, await h2c.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_grpc_port_speaks_only_http_2()
    {
        // Why the sample has a second port: Kestrel's h2c endpoint refuses HTTP/1.1 (curl, Docker health checks).
        using var http = new HttpClient();

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(sample.GrpcUrl, "/healthz")) { Version = HttpVersion.Version11 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
