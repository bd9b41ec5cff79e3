namespace Gateway.IntegrationTests.Grpc;

/// <summary>The console client (src/Samples.GrpcClient) run as a user runs it, against the real gRPC sample.</summary>
public sealed class GrpcClientTests(GrpcSample sample) : IClassFixture<GrpcSample>
{
    [Fact]
    public async Task An_ok_call_prints_the_reply_and_the_trailers_and_exits_0()
    {
        var run = await RunClientAsync("get", "--id", "7");

        GrpcClientProcess.AssertPrinted(run, 0,
            "reply   { \"id\": 7, \"sequence\": 1,", "http    HTTP/2 200", "trailer grpc-status: 0", "status  OK (0)");
    }

    [Fact]
    public async Task A_chosen_failure_prints_its_status_headers_and_who_made_it_and_exits_with_the_code()
    {
        var run = await RunClientAsync("get", "--id", "1", "--fail-with", "14");

        // A trailers-only answer: grpc-status and grpc-message are response headers.
        GrpcClientProcess.AssertPrinted(run, 14,
            "header  grpc-status: 14",
            "header  grpc-message: The gRPC sample answered Unavailable as asked.",
            "status  Unavailable (14): The gRPC sample answered Unavailable as asked.",
            "by      the server's grpc-status");
    }

    [Fact]
    public async Task A_deadline_shorter_than_the_delay_exits_with_deadline_exceeded()
    {
        var run = await RunClientAsync("get", "--id", "1", "--delay-ms", "30000", "--deadline-ms", "300");

        GrpcClientProcess.AssertPrinted(run, 4, "status  DeadlineExceeded (4)");
    }

    [Fact]
    public async Task A_watch_reset_mid_stream_exits_with_internal_and_its_cause_and_no_trailers()
    {
        var run = await RunClientAsync("watch", "--count", "5", "--reset-after", "2");

        // Replies 1 and 2 were sent; a client process still starting may not have read them before the reset
        // discarded them (GrpcSampleTests pins that a reading client gets both), so only the rest is asserted.
        GrpcClientProcess.AssertPrinted(run, 13,
            "status  Internal (13)",
            "cause   HttpProtocolException: The HTTP/2 server reset the stream.",
            "by      the client, from the HTTP outcome: no grpc-status arrived");
        Assert.DoesNotContain("\"sequence\": 3", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("trailer ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_command_line_prints_the_usage_and_exits_64()
    {
        var run = await RunClientAsync("fetch");

        GrpcClientProcess.AssertPrinted(run, 64, "error: unknown argument 'fetch'", "usage: Samples.GrpcClient");
    }

    private Task<(int ExitCode, string Output)> RunClientAsync(params string[] arguments) =>
        GrpcClientProcess.RunAsync(sample.GrpcUrl, arguments);
}
