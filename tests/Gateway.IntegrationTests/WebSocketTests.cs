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
        using var socket = await ConnectAsync();
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_concurrency_policy_bounds_open_sessions_only_when_it_holds_its_permit_while_upgraded(bool hold)
    {
        // One permit, on a route of its own for the echo (the chaos route stays free for the rest).
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["RateLimiting"]!["Policies"]!["sessions"] = JsonNode.Parse($$"""{ "Kind": "Concurrency", "PermitLimit": 1, "HoldPermitWhileUpgraded": {{(hold ? "true" : "false")}} }""");
            json["ReverseProxy"]!["Routes"]!["sockets"] = JsonNode.Parse("""{ "ClusterId": "chaos", "Order": -1, "RateLimiterPolicy": "sessions", "Match": { "Path": "/chaos/ws" } }""");
        });

        using var first = await ConnectAsync();
        Assert.Equal(HttpStatusCode.SwitchingProtocols, first.HttpStatusCode);
        Assert.Equal("one", await EchoAsync(first, "one"));

        using var second = new ClientWebSocket();
        second.Options.CollectHttpResponseDetails = true;
        if (hold)
        {
            // The first session holds the one permit: the second handshake is refused.
            await Assert.ThrowsAsync<WebSocketException>(() => second.ConnectAsync(EchoUri, CancellationToken.None));
            Assert.Equal(HttpStatusCode.TooManyRequests, second.HttpStatusCode);

            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            ClientWebSocket? third = null;
            await Eventually.HoldsAsync(async () =>
            {
                third?.Dispose();
                third = await TryConnectAsync();
                return third.State == WebSocketState.Open;
            }, "a session opens once the first one closed");
            Assert.Equal("three", await EchoAsync(third!, "three"));
            third!.Dispose();
        }
        else
        {
            // Given back at the upgrade: both sessions are open at once.
            await second.ConnectAsync(EchoUri, CancellationToken.None);
            Assert.Equal(HttpStatusCode.SwitchingProtocols, second.HttpStatusCode);
            Assert.Equal("two", await EchoAsync(second, "two"));
            Assert.Equal("one again", await EchoAsync(first, "one again"));
        }
    }

    private Uri EchoUri => new($"ws://{Client.BaseAddress!.Authority}/chaos/ws");

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(EchoUri, CancellationToken.None);
        return socket;
    }

    /// <summary>A socket that is open, or closed when the handshake was refused.</summary>
    private async Task<ClientWebSocket> TryConnectAsync()
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(EchoUri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return socket;
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
