using System.Net;
using System.Net.Sockets;

namespace Gateway.IntegrationTests.Infrastructure;

internal static class ClosedPort
{
    /// <summary>A loopback port nothing listens on: bound by the OS, then released.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
