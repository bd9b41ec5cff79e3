using System.Net.Sockets;
using System.Text;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>Invariant 4: slowloris clients get 408 and hold no worker; normal clients keep being served.</summary>
public sealed class SlowClientTests : PerTestGateway
{
    private readonly Bodies _bodies = new(nameof(SlowClientTests));

    protected override string[] GatewayArgs => ["--Kestrel:Limits:RequestHeadersTimeout=00:00:02"];

    [Fact]
    public async Task A_client_sending_headers_one_byte_a_second_gets_408()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(Client.BaseAddress!.Host, Client.BaseAddress.Port);
        var (answer, sent) = await TrickleUntilAnsweredAsync(socket, TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        // The headers timeout answered, not the end of the headers: after a byte or more a second, long before the last.
        Assert.InRange(sent, 2, TrickledHeaders.Length - 1);
        _bodies.Add("slowloris", answer);
        _bodies.AssertNoInternals();
    }

    [Fact]
    public async Task Two_hundred_slowloris_connections_do_not_stop_normal_clients_and_all_get_408()
    {
        const int slow = 200;
        var sockets = new List<TcpClient>();
        try
        {
            for (var i = 0; i < slow; i++)
            {
                var socket = new TcpClient();
                sockets.Add(socket);
                await socket.ConnectAsync(Client.BaseAddress!.Host, Client.BaseAddress.Port);
            }

            var slowAnswers = sockets.Select(socket => TrickleUntilAnsweredAsync(socket, TimeSpan.FromSeconds(15))).ToList();

            // While the 200 trickle their headers (none answered yet), normal clients are served on fresh connections.
            for (var i = 0; i < 10; i++)
            {
                using var fresh = GatewayInstance.CreateClient(Client.BaseAddress!);
                using var response = await fresh.GetAsync(new Uri("/api/users/1", UriKind.Relative));
                await _bodies.ReadAsync(response);
                Assert.Equal(200, (int)response.StatusCode);
            }

            Assert.True(slowAnswers.Any(answer => !answer.IsCompleted), "every slow connection was answered before the normal requests were served");

            var answers = (await Task.WhenAll(slowAnswers)).Select(trickled => trickled.Answer).ToList();
            var not408 = answers.Where(answer => !answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal)).ToList();
            Assert.True(not408.Count == 0, $"{not408.Count} of {slow} slow connections did not get 408, e.g. '{not408.FirstOrDefault()}'");
            foreach (var answer in answers)
            {
                _bodies.Add("slowloris", answer);
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        Assert.Equal(200, await StatusAsync("/api/users/1"));
        _bodies.AssertNoInternals();
    }

    private static readonly byte[] TrickledHeaders = Encoding.ASCII.GetBytes("GET /api/users/1 HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 60) + "\r\n\r\n");

    /// <summary>Writes a request's headers one byte a second until the server answers or closes, or the bound passes; the answer and the bytes sent.</summary>
    private static async Task<(string Answer, int Sent)> TrickleUntilAnsweredAsync(TcpClient socket, TimeSpan bound)
    {
        var stream = socket.GetStream();
        var sent = 0;
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(bound);
        var read = stream.ReadAsync(buffer, deadline.Token).AsTask();
        try
        {
            foreach (var b in TrickledHeaders)
            {
                if (read.IsCompleted)
                {
                    break;
                }

                await stream.WriteAsync(new[] { b }, deadline.Token);
                sent++;
                await Task.WhenAny(read, Task.Delay(1000, deadline.Token));
            }

            var count = await read;
            return (Encoding.ASCII.GetString(buffer, 0, count), sent);
        }
        catch (Exception failure) when (failure is IOException or OperationCanceledException or SocketException)
        {
            return (read.IsCompletedSuccessfully ? Encoding.ASCII.GetString(buffer, 0, read.Result) : $"no answer: {failure.GetType().Name}", sent);
        }
    }
}
