using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 27: a WebSocket over HTTP/2 (RFC 8441 extended CONNECT) through an h2c gateway succeeds with 200, not 101,
/// and is still counted as an upgrade (class 2xx, code 200, in gateway_upgraded_connections) with its permit released.
/// </summary>
public sealed class WebSocketHttp2Tests : PerTestGateway
{
    protected override string[] GatewayArgs => ["--Gateway:Protocols:Public=Http2"];

    // One permit for the chaos cluster: an open WebSocket must not keep it.
    protected override Action<JsonObject>? ConfigBeforeStart => json =>
        json["Overload"]!["Clusters"]!["chaos"] = JsonNode.Parse("""{ "PermitLimit": 1, "QueueLimit": 0 }""");

    [Fact]
    public async Task An_extended_connect_is_answered_200_counted_as_an_upgrade_and_releases_its_permit()
    {
        using var handler = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri($"ws://{Client.BaseAddress!.Authority}/chaos/ws"), invoker, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);
        Assert.Equal("over h2", await EchoAsync(socket, "over h2"));
        await Eventually.HoldsAsync(async () => await SampleAsync("gateway_upgraded_connections") == 1, "the session is counted as upgraded");
        Assert.Equal(0, await SampleAsync("gateway_requests_in_flight"));
        Assert.Equal(1, await SampleAsync("gateway_responses_total", l => l["route"] == "chaos" && l["code"] == "200"));
        Assert.Equal(1, await SampleAsync("gateway_protocol_responses_total", l => l["protocol"] == "h2" && l["class"] == "2xx"));
        // The one permit of the chaos cluster was given back at the upgrade: a plain request gets it.
        using var h2 = new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = Client.BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var plain = await h2.GetAsync(new Uri("/chaos/slow?ms=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Eventually.HoldsAsync(async () => await SampleAsync("gateway_upgraded_connections") == 0, "the closed session is no longer open");
        Assert.Equal(1, await SampleAsync("gateway_responses_total", l => l["route"] == "chaos" && l["code"] == "200" && l["method"] == "OTHER"));
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    private async Task<double> SampleAsync(string name, Func<IReadOnlyDictionary<string, string>, bool>? where = null)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum(name, where);
    }
}
