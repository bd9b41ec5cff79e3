using System.Diagnostics;
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
        var clock = Stopwatch.StartNew();
        var answer = await TrickleUntilAnsweredAsync(socket, TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        // 2 s of RequestHeadersTimeout, then Kestrel's 1 s heartbeat notices: well before 10 s of trickling.
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 6);
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

            // While all 200 trickle their headers, normal clients are served, promptly, on fresh connections.
            var latencies = new List<TimeSpan>();
            var normalEnds = DateTime.UtcNow.AddSeconds(3);
            while (DateTime.UtcNow < normalEnds)
            {
                using var fresh = GatewayInstance.CreateClient(Client.BaseAddress!);
                var clock = Stopwatch.StartNew();
                using var response = await fresh.GetAsync(new Uri("/api/users/1", UriKind.Relative));
                latencies.Add(clock.Elapsed);
                await _bodies.ReadAsync(response);
                Assert.Equal(200, (int)response.StatusCode);
            }

            Assert.True(latencies.Count >= 10, $"only {latencies.Count} normal requests in 3 s");
            Assert.True(latencies.Max() < TimeSpan.FromSeconds(1), $"a normal request took {latencies.Max().TotalMilliseconds:F0} ms");

            var answers = await Task.WhenAll(slowAnswers);
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

    /// <summary>Writes a request's headers one byte a second until the server answers or closes, or the bound passes.</summary>
    private static async Task<string> TrickleUntilAnsweredAsync(TcpClient socket, TimeSpan bound)
    {
        var stream = socket.GetStream();
        var headers = Encoding.ASCII.GetBytes("GET /api/users/1 HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 60) + "\r\n\r\n");
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(bound);
        var read = stream.ReadAsync(buffer, deadline.Token).AsTask();
        try
        {
            foreach (var b in headers)
            {
                if (read.IsCompleted)
                {
                    break;
                }

                await stream.WriteAsync(new[] { b }, deadline.Token);
                await Task.WhenAny(read, Task.Delay(1000, deadline.Token));
            }

            var count = await read;
            return Encoding.ASCII.GetString(buffer, 0, count);
        }
        catch (Exception failure) when (failure is IOException or OperationCanceledException or SocketException)
        {
            return read.IsCompletedSuccessfully ? Encoding.ASCII.GetString(buffer, 0, read.Result) : $"no answer: {failure.GetType().Name}";
        }
    }
}
