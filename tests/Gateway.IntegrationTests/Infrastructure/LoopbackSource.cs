using System.Net;
using System.Net.Sockets;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// Clients that connect from another loopback address, so one test can be several clients: on Linux the whole of
/// 127.0.0.0/8 is loopback, and a socket bound to 127.0.0.2 reaches a server on 127.0.0.1.
/// </summary>
internal static class LoopbackSource
{
    public static HttpClient CreateClient(Uri baseAddress, IPAddress source) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = (context, cancel) => ConnectAsync(context.DnsEndPoint, source, cancel),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint server, IPAddress source, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
