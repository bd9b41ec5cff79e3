using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gateway.IntegrationTests.Infrastructure;

internal static class ClosedPort
{
    // Bound but never listening, for the life of the test process: a connect is refused, and the OS cannot hand the
    // port to another test's port-0 listener (a released port was, and the "unreachable" route then got its 404).
    private static readonly ConcurrentBag<Socket> Held = [];

    /// <summary>A loopback port nothing listens on, and nothing will while the tests run.</summary>
    public static int Next()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Held.Add(socket);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
