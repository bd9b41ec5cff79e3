using System.Net;
using System.Net.Sockets;

namespace Gateway.IntegrationTests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port free now, for a server the test starts on it next (bound by the OS, then released).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
