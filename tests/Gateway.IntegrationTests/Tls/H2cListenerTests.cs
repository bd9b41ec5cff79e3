using System.Net;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Tls;

/// <summary>Issue 27: the cleartext public listener set to HTTP/2 with prior knowledge (Gateway:Protocols:Public = Http2), e.g. for gRPC in a cluster.</summary>
public sealed class H2cListenerTests : PerTestGateway
{
    protected override string[] GatewayArgs => ["--Gateway:Protocols:Public=Http2"];

    [Fact]
    public async Task An_h2c_client_gets_the_proxied_answer_and_the_gateways_own_problem()
    {
        using var client = H2cClient();

        using var proxied = await client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        using var missing = await client.GetAsync(new Uri("/no-such-route", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (proxied.StatusCode, proxied.Version));
        Assert.Equal(HttpVersion.Version20, missing.Version);
        await ProblemAssert.IsGatewayProblemAsync(missing, 404, "no_route");
        Assert.True(missing.Headers.Contains("Proxy-Status"));
    }

    [Fact]
    public async Task An_http11_request_is_not_served_on_an_h2c_port()
    {
        // Kestrel cannot serve HTTP/1.1 and h2c on one cleartext port: it answers an HTTP/1.1 request 400 itself
        // (aspnetcore's Http2RequestTests.GET_NoTLS_Http11RequestToHttp2Endpoint_400Result), never proxied.
        using var response = await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative));

        Assert.Equal((HttpStatusCode.BadRequest, HttpVersion.Version11), (response.StatusCode, response.Version));
    }

    private HttpClient H2cClient() => new(new SocketsHttpHandler())
    {
        BaseAddress = Client.BaseAddress,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };
}
