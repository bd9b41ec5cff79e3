using System.Net.Sockets;
using System.Text;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, without persistence, stopped by the test that started it.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private RedisServer(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The tests' <c>Store:IntegrityKey</c>: a gateway with a Redis store needs one (it is in DemoSecrets.Shipped).</summary>
    public const string IntegrityKey = "test-store-integrity-key-0123456789abcdef";

    /// <summary>The arguments that make a gateway keep its shared state in this server, under an optional key prefix.</summary>
    public string[] GatewayArgs(string? keyPrefix = null) =>
    [
        $"--Store:Redis:ConnectionString={ConnectionString}",
        $"--Store:IntegrityKey={IntegrityKey}",
        .. keyPrefix is null ? Array.Empty<string>() : [$"--Store:Redis:KeyPrefix={keyPrefix}"],
    ];

    /// <param name="port">A port to reuse (a Redis that comes back where it was, empty); a free one when null.</param>
    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        port ??= FreePort.Next();
        var process = new ServerProcess("redis-server", ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        var server = new RedisServer(process, port.Value);
        await Eventually.HoldsAsync(server.PingsAsync, $"redis-server answers PING on port {port}", seconds: 10);
        return server;
    }

    /// <summary>Runs one redis-cli command against this server; its output, trimmed.</summary>
    public async Task<string> CliAsync(params string[] command)
    {
        await using var cli = new ServerProcess("redis-cli", ["-p", $"{Port}", .. command]);
        await cli.WaitForExitAsync();
        return cli.Output.Trim();
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
