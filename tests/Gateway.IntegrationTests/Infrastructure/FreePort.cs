using System.Net;
using System.Net.Sockets;

namespace Gateway.IntegrationTests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port free now, for a server the test starts on it next (bound by the OS, then released).</summary>
    public static int Next() => Next(1)[0];

    /// <summary><paramref name="count"/> such ports, all bound at once (so distinct), then released.</summary>
    public static int[] Next(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
