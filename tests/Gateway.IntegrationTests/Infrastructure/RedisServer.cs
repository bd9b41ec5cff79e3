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

    /// <summary>
    /// The keys of output-cache entries under a prefix, once there is at least one. The output-cache middleware stores
    /// an entry after the proxy has written and flushed the whole answer, so a client can hold the body before the
    /// entry is in Redis: a test that reads Redis, or asks another replica, waits for the write to land.
    /// </summary>
    public async Task<string[]> CacheEntriesAsync(string keyPrefix = "gateway:")
    {
        var keys = Array.Empty<string>();
        await Eventually.HoldsAsync(async () =>
        {
            keys = (await CliAsync("--scan", "--pattern", $"{keyPrefix}cache:__MSOCV_*")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return keys.Length > 0;
        }, $"an output-cache entry under {keyPrefix} is in Redis");
        return keys;
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
