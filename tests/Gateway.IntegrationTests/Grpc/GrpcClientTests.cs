namespace Gateway.IntegrationTests.Grpc;

/// <summary>The console client (src/Samples.GrpcClient) run as a user runs it, against the real gRPC sample.</summary>
public sealed class GrpcClientTests(GrpcSample sample) : IClassFixture<GrpcSample>
{
    [Fact]
    public async Task An_ok_call_prints_the_reply_and_the_trailers_and_exits_0()
    {
        var (exitCode, output) = await RunClientAsync("get", "--id", "7");

        Assert.True(exitCode == 0, output);
        Assert.Contains("reply   { \"id\": 7, \"sequence\": 1,", output, StringComparison.Ordinal);
        Assert.Contains("http    HTTP/2 200", output, StringComparison.Ordinal);
        Assert.Contains("trailer grpc-status: 0", output, StringComparison.Ordinal);
        Assert.Contains("status  OK (0)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chosen_failure_prints_its_status_headers_and_who_made_it_and_exits_with_the_code()
    {
        var (exitCode, output) = await RunClientAsync("get", "--id", "1", "--fail-with", "14");

        Assert.True(exitCode == 14, output);
        // A trailers-only answer: grpc-status and grpc-message are response headers.
        Assert.Contains("header  grpc-status: 14", output, StringComparison.Ordinal);
        Assert.Contains("header  grpc-message: The gRPC sample answered Unavailable as asked.", output, StringComparison.Ordinal);
        Assert.Contains("status  Unavailable (14): The gRPC sample answered Unavailable as asked.", output, StringComparison.Ordinal);
        Assert.Contains("by      the server's grpc-status", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deadline_shorter_than_the_delay_exits_with_deadline_exceeded()
    {
        var (exitCode, output) = await RunClientAsync("get", "--id", "1", "--delay-ms", "30000", "--deadline-ms", "300");

        Assert.True(exitCode == 4, output);
        Assert.Contains("status  DeadlineExceeded (4)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watch_reset_mid_stream_exits_with_internal_and_its_cause_and_no_trailers()
    {
        var (exitCode, output) = await RunClientAsync("watch", "--count", "5", "--reset-after", "2");

        Assert.True(exitCode == 13, output);
        // Replies 1 and 2 were sent; a client process still starting may not have read them before the reset
        // discarded them (GrpcSampleTests pins that a reading client gets both), so only the rest is asserted.
        Assert.DoesNotContain("\"sequence\": 3", output, StringComparison.Ordinal);
        Assert.Contains("status  Internal (13)", output, StringComparison.Ordinal);
        Assert.Contains("cause   HttpProtocolException: The HTTP/2 server reset the stream.", output, StringComparison.Ordinal);
        Assert.Contains("by      the client, from the HTTP outcome: no grpc-status arrived", output, StringComparison.Ordinal);
        Assert.DoesNotContain("trailer ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_command_line_prints_the_usage_and_exits_64()
    {
        var (exitCode, output) = await RunClientAsync("fetch");

        Assert.True(exitCode == 64, output);
        Assert.Contains("error: unknown argument 'fetch'", output, StringComparison.Ordinal);
        Assert.Contains("usage: Samples.GrpcClient", output, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> RunClientAsync(params string[] arguments) =>
        GrpcClientProcess.RunAsync(sample.GrpcUrl, arguments);
}
