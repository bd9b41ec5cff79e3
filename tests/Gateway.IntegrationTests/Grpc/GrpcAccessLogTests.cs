using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Samples.Grpc.V1;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>
/// Issue 27: a gRPC error is an HTTP 200, below the root config's AccessLog:MinStatus of 400; it gets its access-log line
/// anyway, with grpc_status, whether the upstream or the gateway made it. An OK call stays below MinStatus.
/// </summary>
public sealed class GrpcAccessLogTests(GrpcSample sample) : PerTestGateway, IClassFixture<GrpcSample>
{
    protected override string[] GatewayArgs => ["--Gateway:Protocols:Public=Http2"];

    protected override Action<JsonObject>? ConfigBeforeStart => sample.AddRoute;

    [Fact]
    public async Task A_grpc_error_inside_http_200_gets_a_line_with_its_grpc_status_whoever_made_it()
    {
        using var channel = GrpcChannel.ForAddress(Client.BaseAddress!);
        var client = new Sample.SampleClient(channel);

        Assert.Equal(7, (await client.GetAsync(new GetRequest { Id = 7 })).Id);
        var upstream = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetRequest { Id = 1, FailWith = (int)StatusCode.NotFound }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, upstream.StatusCode);
        // No route matches this service: the gateway answers UNIMPLEMENTED.
        var method = new Method<GetRequest, Reply>(MethodType.Unary, "other.v1.Other", "Get",
            Marshallers.Create(message => message.ToByteArray(), GetRequest.Parser.ParseFrom),
            Marshallers.Create(message => message.ToByteArray(), Reply.Parser.ParseFrom));
        var gateway = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), new GetRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, gateway.StatusCode);

        // Written when the gateway's response ends, which may be just after the client read it.
        await Eventually.HoldsAsync(() => Task.FromResult(Lines().Count == 2), "both gRPC errors have their line");
        var lines = Lines();
        var fromUpstream = Assert.Single(lines, line => (string?)line.Fields["Route"] == "grpc-test");
        Assert.Equal((200, "2xx", "upstream", "NOT_FOUND"), Fields(fromUpstream));
        Assert.EndsWith(" grpc_status=NOT_FOUND", fromUpstream.Message, StringComparison.Ordinal);
        var fromGateway = Assert.Single(lines, line => (string?)line.Fields["Route"] == "none");
        Assert.Equal((200, "2xx", "no_route", "UNIMPLEMENTED"), Fields(fromGateway));
        Assert.EndsWith(" grpc_status=UNIMPLEMENTED", fromGateway.Message, StringComparison.Ordinal);
    }

    private List<LogEntry> Lines() => Gateway.Logs.Entries.Where(entry => entry.Category == "Gateway.AccessLog").ToList();

    private static (int, string?, string?, string?) Fields(LogEntry line) =>
        ((int)line.Fields["Status"]!, (string?)line.Fields["StatusClass"], (string?)line.Fields["Origin"], (string?)line.Fields["grpc_status"]);
}
