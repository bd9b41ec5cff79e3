using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gateway.Hosting;
using Gateway.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Samples.Grpc.V1;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>
/// Issue 27: gRPC calls through the gateway (h2c public listener and TLS) to the real sample upstream: the upstream's
/// answers arrive unchanged, and each gateway decision arrives as the gRPC status a client expects (trailers-only).
/// The root config's grpc route is used as is; routes of this class's own pick a case by an <c>x-case</c> header.
/// </summary>
public sealed class GrpcThroughGatewayTests(GrpcSample sample) : PerTestGateway, IClassFixture<GrpcSample>
{
    protected override string[] GatewayArgs => ["--Gateway:Protocols:Public=Http2", "--Gateway:Urls:PublicTls=https://127.0.0.1:0"];

    protected override Action<JsonObject>? ConfigBeforeStart => config =>
    {
        var proxy = config["ReverseProxy"]!;
        proxy["Clusters"]!["grpc"]!["Destinations"]!["grpc-1"]!["Address"] = sample.GrpcUrl.ToString();
        var routes = proxy["Routes"]!.AsObject();
        routes["grpc-ratelimit"] = CaseRoute("ratelimit", "grpc", route => route["RateLimiterPolicy"] = "grpc-one");
        routes["grpc-auth"] = CaseRoute("auth", "grpc", route => route["AuthorizationPolicy"] = "authenticated");
        routes["grpc-timeout"] = CaseRoute("timeout", "grpc", route => route["Timeout"] = "00:00:00.300");
        routes["grpc-dead"] = CaseRoute("dead", "nowhere", _ => { });
        routes["grpc-maintenance"] = CaseRoute("maintenance", "grpc", _ => { });
        config["RateLimiting"]!["Policies"]!["grpc-one"] = new JsonObject { ["Kind"] = "FixedWindow", ["PermitLimit"] = 1, ["Window"] = "00:01:00" };
        config["Maintenance"]!["Enabled"] = true;
        config["Maintenance"]!["Routes"] = new JsonArray("grpc-maintenance");
    };

    [Fact]
    public async Task A_unary_call_and_a_stream_arrive_over_h2c()
    {
        using var channel = Channel();
        var client = new Sample.SampleClient(channel);

        var reply = await client.GetAsync(new GetRequest { Id = 7 });
        using var watch = client.Watch(new WatchRequest { Count = 3 });
        var sequences = new List<long>();
        await foreach (var item in watch.ResponseStream.ReadAllAsync())
        {
            sequences.Add(item.Sequence);
        }

        Assert.Equal(7, reply.Id);
        Assert.Equal([1, 2, 3], sequences);
        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Over_tls_a_call_is_answered_and_a_gateway_decision_too()
    {
        var listeners = Gateway.Services.GetRequiredService<GatewayListeners>();
        var tls = listeners.PublicTlsUrl!;
        var served = listeners.Certificate.Current!.GetCertHashString();
        using var channel = GrpcChannel.ForAddress(tls, new GrpcChannelOptions
        {
            // Demo mode's self-signed certificate (trusted by nobody): the one the gateway serves.
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == served },
            },
        });

        var reply = await new Sample.SampleClient(channel).GetAsync(new GetRequest { Id = 4 });
        var dead = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, "dead"));

        Assert.Equal(4, reply.Id);
        Assert.Equal(StatusCode.Unavailable, dead.StatusCode);
    }

    [Fact]
    public async Task The_upstreams_own_error_arrives_unchanged()
    {
        using var channel = Channel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Sample.SampleClient(channel).GetAsync(new GetRequest { Id = 1, FailWith = (int)StatusCode.NotFound }).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "The gRPC sample answered NotFound as asked."), (error.StatusCode, error.Status.Detail));
    }

    [Theory]
    [InlineData("dead", StatusCode.Unavailable)]
    [InlineData("maintenance", StatusCode.Unavailable)]
    [InlineData("auth", StatusCode.Unauthenticated)]
    [InlineData("timeout", StatusCode.DeadlineExceeded)]
    public async Task A_gateway_decision_arrives_as_its_grpc_status(string @case, StatusCode expected)
    {
        using var channel = Channel();

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, @case, delayMs: @case == "timeout" ? 5000 : 0));

        Assert.Equal(expected, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Status.Detail));
        // A gateway answer, not a client-side one: it says so in Proxy-Status.
        Assert.Contains("error=", error.Trailers.GetValue("proxy-status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_call_is_resource_exhausted_with_a_pushback()
    {
        using var channel = Channel();
        await CallAsync(channel, "ratelimit");

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, "ratelimit"));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("grpc-one", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(long.Parse(error.Trailers.GetValue("grpc-retry-pushback-ms")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task A_call_no_route_matches_is_unimplemented_as_a_trailers_only_answer_with_proxy_status()
    {
        using var response = await RawGrpcCallAsync("/other.v1.Other/Get");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("12", response.Headers.GetValues("grpc-status").Single());
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("grpc-message").Single()));
        Assert.Contains("error=destination_not_found", response.Headers.GetValues("Proxy-Status").Single(), StringComparison.Ordinal);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        // The same through Grpc.Net.Client.
        using var channel = Channel();
        var method = new Method<GetRequest, Reply>(MethodType.Unary, "other.v1.Other", "Get",
            Marshallers.Create(message => message.ToByteArray(), GetRequest.Parser.ParseFrom),
            Marshallers.Create(message => message.ToByteArray(), Reply.Parser.ParseFrom));
        var error = Assert.Throws<RpcException>(() => channel.CreateCallInvoker().BlockingUnaryCall(method, null, new CallOptions(), new GetRequest()));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task The_console_client_through_the_gateway_prints_the_gateways_status()
    {
        var run = await GrpcClientProcess.RunAsync(Client.BaseAddress!, "--header", "x-case=dead", "get", "--id", "1");

        GrpcClientProcess.AssertPrinted(run, 14, "http    HTTP/2 200", "grpc-status: 14", "by      the gateway made it (gateway, error=");
    }

    [Fact]
    public async Task The_console_client_says_when_the_upstream_answered_and_the_gateway_passed_it_through()
    {
        var run = await GrpcClientProcess.RunAsync(Client.BaseAddress!, "get", "--id", "1", "--fail-with", "5");

        GrpcClientProcess.AssertPrinted(run, 5, "http    HTTP/2 200", "grpc-status: 5",
            "by      the upstream answered and the gateway passed it through (gateway); Proxy-Status: gateway; received-status=200");
    }

    [Fact]
    public async Task A_calls_grpc_timeout_shorter_than_the_routes_ends_it_as_deadline_exceeded_by_the_gateway()
    {
        // The chaos service ignores grpc-timeout (it is not gRPC) and the chaos route's Timeout is 1 s: only the
        // gateway honouring the call's 200 ms can answer first, and says which timeout ran out.
        using var response = await RawGrpcCallAsync("/chaos/slow?ms=5000", request => request.Headers.Add("grpc-timeout", "200m"));

        Assert.Equal("4", response.Headers.GetValues("grpc-status").Single());
        Assert.Contains("grpc-timeout", response.Headers.GetValues("grpc-message").Single(), StringComparison.Ordinal);
        Assert.Contains("error=http_response_timeout", response.Headers.GetValues("Proxy-Status").Single(), StringComparison.Ordinal);
    }

    /// <summary>A gRPC request by hand over h2c: an empty message (its 5-byte frame header), content-type application/grpc.</summary>
    private async Task<HttpResponseMessage> RawGrpcCallAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = Client.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    private GrpcChannel Channel() => GrpcChannel.ForAddress(Client.BaseAddress!);

    private static Task<Reply> CallAsync(GrpcChannel channel, string @case, int delayMs = 0) =>
        new Sample.SampleClient(channel).GetAsync(new GetRequest { Id = 1, DelayMs = delayMs }, new Metadata { { "x-case", @case } }).ResponseAsync;

    private static JsonObject CaseRoute(string @case, string cluster, Action<JsonObject> more)
    {
        var route = new JsonObject
        {
            ["ClusterId"] = cluster,
            ["Order"] = -1,
            ["Match"] = new JsonObject
            {
                ["Path"] = "/samples.v1.Sample/{**rest}",
                ["Headers"] = new JsonArray(new JsonObject { ["Name"] = "x-case", ["Values"] = new JsonArray(@case), ["Mode"] = "ExactHeader" }),
            },
        };
        more(route);
        return route;
    }
}
