using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// 413 large bodies (default and per route), from the configured limits. 431 large headers and 408 slow headers:
/// Reliability/HostileInputTests and Reliability/SlowClientTests.
/// </summary>
public sealed class LimitsTests : PerTestGateway
{
    [Fact]
    public async Task A_body_over_the_default_limit_is_413_problem_before_the_upstream_is_asked()
    {
        using var content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users") { Content = content };
        // With Expect: 100-continue the body is never sent: the declared length alone is refused.
        request.Headers.ExpectContinue = true;
        using var response = await Client.SendAsync(request);
        await ProblemAssert.IsGatewayProblemAsync(response, 413, "limits");
    }

    [Fact]
    public async Task A_chunked_body_that_crosses_the_route_limit_is_413()
    {
        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["chaos"]!["MaxRequestBodySize"] = 1024);
        using var socket = new TcpClient();
        await socket.ConnectAsync(Gateway.Public.BaseAddress!.Host, Gateway.Public.BaseAddress.Port);
        var stream = socket.GetStream();
        // 2 KiB in two chunks with no length announced; the slow upstream does not answer first, so the gateway must refuse.
        var head = "POST /chaos/slow?ms=1500 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        var chunk = "400\r\n" + new string('a', 1024) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + chunk + chunk + "0\r\n\r\n"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while (!answer.ToString().Contains("\r\n0\r\n\r\n", StringComparison.Ordinal) && (read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 413", answer.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"origin\":\"limits\"", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_can_raise_its_body_limit()
    {
        // The chaos route allows 10 MiB ("MaxRequestBodySize" on the route).
        using var content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        using var response = await Client.PostAsync(new Uri("/chaos/status/200", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
