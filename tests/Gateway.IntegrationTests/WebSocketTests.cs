using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>101 Switching Protocols through the gateway: a WebSocket echo, counted once at the upgrade.</summary>
public sealed class WebSocketTests : PerTestGateway
{
    // One permit for the chaos cluster: an open WebSocket must not keep it.
    protected override Action<JsonObject>? ConfigBeforeStart => json =>
        json["Overload"]!["Clusters"]!["chaos"] = JsonNode.Parse("""{ "PermitLimit": 1, "QueueLimit": 0 }""");

    [Fact]
    public async Task The_handshake_answers_101_frames_flow_both_ways_and_the_101_is_counted_once_at_the_upgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri($"ws://{Client.BaseAddress!.Authority}/chaos/ws"), CancellationToken.None);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);

        Assert.Equal("hello", await EchoAsync(socket, "hello"));
        Assert.Equal("again", await EchoAsync(socket, "again"));

        // While the session is open: counted (once), not in flight, one upgraded connection, no permit held.
        await Eventually.HoldsAsync(async () => await SampleAsync("gateway_responses_total", "code", "101") == 1, "the 101 is counted at the upgrade");
        Assert.Equal(1, await SampleAsync("gateway_responses_total", "class", "1xx"));
        Assert.Equal(0, await SampleAsync("gateway_requests_in_flight"));
        Assert.Equal(1, await SampleAsync("gateway_upgraded_connections"));
        Assert.Equal(200, await StatusAsync("/chaos/slow?ms=0"));
        // Its duration was observed at the upgrade too (the session is still open): the handshake's, not the session's.
        Assert.Equal(1, await SampleAsync("gateway_request_duration_seconds_count", "class", "1xx"));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Eventually.HoldsAsync(async () => await SampleAsync("gateway_upgraded_connections") == 0, "the closed session is no longer open");
        Assert.Equal(1, await SampleAsync("gateway_responses_total", "code", "101"));
        Assert.Equal(1, await SampleAsync("gateway_request_duration_seconds_count", "class", "1xx"));
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    private async Task<double> SampleAsync(string name, string? label = null, string? value = null)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum(name, labels => label is null || labels.GetValueOrDefault(label) == value);
    }
}
