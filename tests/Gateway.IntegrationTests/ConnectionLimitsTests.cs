using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 24 finding 8: connections are not free to hold. The shipped config sets the limits; short values here
/// prove Kestrel enforces what the file says (Kestrel checks its timers once a second).
/// </summary>
public sealed class ConnectionLimitsTests : PerTestGateway
{
    protected override string[] GatewayArgs =>
    [
        "--Kestrel:Limits:KeepAliveTimeout=00:00:02",
        "--Kestrel:Limits:MaxConcurrentConnections=2",
    ];

    [Fact]
    public void The_shipped_configs_limit_keep_alive_to_30_s_and_connections()
    {
        foreach (var file in new[] { "appsettings.json", "deploy/k8s/appsettings.json" })
        {
            var limits = JsonNode.Parse(Repository.Read(file))!["Kestrel"]!["Limits"]!;
            Assert.True(TimeSpan.Parse(limits["KeepAliveTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(30), file);
            Assert.InRange(limits["MaxConcurrentConnections"]!.GetValue<long>(), 1, 100_000);
            Assert.InRange(limits["MaxConcurrentUpgradedConnections"]!.GetValue<long>(), 0, 100_000);
        }
    }

    // The other two keys are set on this class's command line, which wins over the file.
    [Theory]
    [InlineData("MaxConcurrentUpgradedConnections", "-1")]
    public async Task A_limit_Kestrel_would_refuse_is_a_rejected_edit_naming_the_key(string key, string value)
    {
        Config.Edit(json => json["Kestrel"]!["Limits"]![key] = value);
        await Eventually.HoldsAsync(async () =>
        {
            var (_, report) = await Gateway.HealthReportAsync();
            return report.GetProperty("checks").GetProperty("config").GetProperty("description").GetString()!
                .Contains($"Kestrel:Limits:{key}: '{value}' is not", StringComparison.Ordinal);
        }, $"the edit of {key} is rejected naming the key");
        Assert.Equal(200, await StatusAsync("/api/users/1"));
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_after_the_configured_timeout()
    {
        using var socket = await ConnectAsync();
        await RequestAsync(socket);
        var idle = Stopwatch.StartNew();
        Assert.Equal(0, await socket.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.InRange(idle.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_connection_over_the_maximum_is_closed_and_the_admin_port_counts_apart()
    {
        using var first = await ConnectAsync();
        using var second = await ConnectAsync();
        await RequestAsync(first);
        await RequestAsync(second);

        using var third = await ConnectAsync();
        var refused = await ReadAnswerOrCloseAsync(third);
        Assert.Equal("", refused);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await Gateway.HealthReportAsync()).Status);
        first.Dispose();
        await Eventually.HoldsAsync(async () =>
        {
            using var again = await ConnectAsync();
            return (await ReadAnswerOrCloseAsync(again)).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }, "a closed connection frees its place");
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(Client.BaseAddress!.Host, Client.BaseAddress.Port);
        return socket;
    }

    private static async Task RequestAsync(TcpClient socket) =>
        Assert.StartsWith("HTTP/1.1 200", await ReadAnswerOrCloseAsync(socket), StringComparison.Ordinal);

    /// <summary>Sends a GET and returns what comes back before the answer's end or a close ("" when closed at once).</summary>
    private static async Task<string> ReadAnswerOrCloseAsync(TcpClient socket)
    {
        var stream = socket.GetStream();
        try
        {
            await stream.WriteAsync("GET /api/users/1 HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buffer = new byte[8192];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
