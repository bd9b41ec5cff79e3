using Gateway.IntegrationTests.Readme;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>README's gRPC commands: the built console client against the native demo (its TLS port), as a user runs them.</summary>
public sealed class GrpcThroughDemoTests
{
    [Fact]
    public async Task The_console_client_through_the_demo_gets_a_reply_and_the_upstreams_status()
    {
        await using var demo = await DemoProcess.StartAsync();

        var ok = await GrpcClientProcess.RunAsync(demo.TlsUrl, "--insecure", "get", "--id", "1");
        var failed = await GrpcClientProcess.RunAsync(demo.TlsUrl, "--insecure", "get", "--id", "1", "--fail-with", "14");

        GrpcClientProcess.AssertPrinted(ok, 0, "http    HTTP/2 200", "reply   { \"id\": 1,");
        GrpcClientProcess.AssertPrinted(failed, 14, "The gRPC sample answered Unavailable as asked.");
    }
}
