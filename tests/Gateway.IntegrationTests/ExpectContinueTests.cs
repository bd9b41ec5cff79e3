using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// <c>Expect: 100-continue</c> through the gateway, on a raw socket so the interim answer shows. The client sends the
/// head, waits for the gateway's first status line, and sends the body only after a <c>100 Continue</c>. Kestrel writes
/// the 100 when the body is first read, which is YARP forwarding it; every step that refuses (413, 401, 429, 503) answers
/// before that, so the client gets the final status without a 100 and never has to send the body. After a refusal the
/// connection is closed when the declared body is over the limit; otherwise a body sent anyway is read away and the
/// connection serves on. An upstream's own refusal of a body it did not read is passed on without a 100 too.
/// </summary>
public sealed class ExpectContinueTests : PerTestGateway
{
    private static readonly string[] Classes = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    [Fact]
    public async Task A_body_the_upstream_reads_gets_100_continue_first_then_the_upstream_answer_counted_once()
    {
        var (_, before) = await MetricsScrape.ReadAsync(Gateway);
        var body = $$"""{"name":"Ada","email":"ada-{{Guid.NewGuid():N}}@example.com"}""";
        using var exchange = await RawExchange.OpenAsync(Client.BaseAddress!);
        await exchange.SendHeadAsync("POST", "/api/users", Encoding.UTF8.GetByteCount(body));

        var interim = await exchange.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 100 Continue", interim.StatusLine);

        await exchange.SendAsync(body);
        var created = await exchange.ReadResponseAsync();
        Assert.Equal(201, created.Status);
        Assert.Equal("Ada", JsonDocument.Parse(created.Body).RootElement.GetProperty("name").GetString()); // the upstream got the body

        // One request, one count: the interim 100 is not a response of its own.
        await Eventually.HoldsAsync(async () =>
        {
            var (_, after) = await MetricsScrape.ReadAsync(Gateway);
            return after.ResponsesByClassSince(before, Classes).Values.Sum() >= 1;
        }, "the 201 is counted");
        var (_, counted) = await MetricsScrape.ReadAsync(Gateway);
        var grown = counted.ResponsesByClassSince(before, Classes);
        Assert.Equal(new Dictionary<string, double> { ["1xx"] = 0, ["2xx"] = 1, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }, grown);
    }

    [Fact]
    public async Task A_declared_body_over_the_route_limit_is_413_without_100_and_without_the_body()
    {
        // The users-api route has the server's default limit, 1 MiB. A body it will not take is not waited for either.
        using var exchange = await RawExchange.OpenAsync(Client.BaseAddress!);
        await AssertRefusedBeforeTheBodyAsync(exchange, "POST", "/api/users", 2_000_000, 413, "limits");
        await exchange.AssertClosedAsync();
    }

    [Fact]
    public async Task A_protected_route_without_a_token_is_401_without_100()
    {
        var refused = await AssertRefusedThenTheConnectionServesOnAsync("POST", "/api/profile", 401, "auth");
        Assert.StartsWith("Bearer", refused.Headers["WWW-Authenticate"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exhausted_rate_limit_is_429_without_100()
    {
        const string ApiKey = "demo-client-key"; // the root config's demo client: one client, whatever else runs
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(200, await StatusAsync("/api/search?q=x", request => request.Headers.Add("X-Api-Key", ApiKey)));
        }

        // The search route matches GET only: the eleventh is a GET with a body, from the same client.
        var refused = await AssertRefusedThenTheConnectionServesOnAsync("GET", "/api/search?q=x", 429, "ratelimit", $"X-Api-Key: {ApiKey}\r\n");
        Assert.True(refused.Headers.ContainsKey("Retry-After"), "429 without Retry-After");
    }

    [Fact]
    public async Task Maintenance_is_503_without_100()
    {
        using (var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{ "enabled": true }"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var refused = await AssertRefusedThenTheConnectionServesOnAsync("POST", "/api/users", 503, "maintenance", nextStatus: 503);
        Assert.True(refused.Headers.ContainsKey("Retry-After"), "503 maintenance without Retry-After");
    }

    [Fact]
    public async Task An_upstream_that_answers_without_reading_a_large_body_is_passed_on_without_100()
    {
        // The chaos service answers 403 without reading. The gateway's HttpClient then does not send a body over 1 KiB
        // (a smaller one it sends anyway, so the client would see a 100 first), so the client's body is not asked for.
        using var exchange = await RawExchange.OpenAsync(Client.BaseAddress!);
        await exchange.SendHeadAsync("POST", "/chaos/status/403", 4096);
        var first = await exchange.ReadResponseAsync();
        Assert.Equal(403, first.Status);
        Assert.Equal("The chaos service answered 403 as asked.", JsonDocument.Parse(first.Body).RootElement.GetProperty("detail").GetString());
    }

    /// <summary>
    /// A refusal of a body within the limit. The client may still send the body after the final answer (RFC 9110
    /// 10.1.1); Kestrel reads it away, and the same connection then serves the next request (no request mixed into it).
    /// </summary>
    private async Task<RawResponse> AssertRefusedThenTheConnectionServesOnAsync(
        string method, string path, int status, string origin, string extraHeaders = "", int nextStatus = 200)
    {
        const string Body = """{"name":"Ada","email":"ada@example.com"}""";
        using var exchange = await RawExchange.OpenAsync(Client.BaseAddress!);
        var refused = await AssertRefusedBeforeTheBodyAsync(exchange, method, path, Encoding.UTF8.GetByteCount(Body), status, origin, extraHeaders);
        await exchange.SendAsync(Body + "GET /api/users/1 HTTP/1.1\r\nHost: gateway\r\n\r\n");
        Assert.Equal(nextStatus, (await exchange.ReadResponseAsync()).Status);
        return refused;
    }

    /// <summary>
    /// Sends the head with <c>Expect: 100-continue</c> and not the body: the first thing back must be the final
    /// problem, not a 100 (an answer that needed the body would never come, and the read's bound would fail the test).
    /// </summary>
    private static async Task<RawResponse> AssertRefusedBeforeTheBodyAsync(
        RawExchange exchange, string method, string path, long contentLength, int status, string origin, string extraHeaders = "")
    {
        await exchange.SendHeadAsync(method, path, contentLength, extraHeaders);
        var first = await exchange.ReadResponseAsync();
        Assert.Equal(status, first.Status);
        Assert.Equal("application/problem+json", first.Headers["Content-Type"].Split(';')[0]);
        var problem = JsonDocument.Parse(first.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(origin, problem.GetProperty("origin").GetString());
        ProblemAssert.NoInternals(first.Body);
        return first;
    }

    private sealed record RawResponse(string StatusLine, Dictionary<string, string> Headers, string Body)
    {
        public int Status => int.Parse(StatusLine.AsSpan(9, 3), CultureInfo.InvariantCulture);
    }

    /// <summary>One HTTP/1.1 connection, read response by response (interim ones included) with a bound against hangs.</summary>
    private sealed class RawExchange : IDisposable
    {
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);
        private readonly TcpClient _socket = new();
        private readonly List<byte> _pending = [];
        private NetworkStream _stream = null!;

        public static async Task<RawExchange> OpenAsync(Uri server)
        {
            var exchange = new RawExchange();
            try
            {
                await exchange._socket.ConnectAsync(server.Host, server.Port);
                exchange._stream = exchange._socket.GetStream();
                return exchange;
            }
            catch
            {
                exchange.Dispose();
                throw;
            }
        }

        public Task SendHeadAsync(string method, string path, long contentLength, string extraHeaders = "") =>
            SendAsync($"{method} {path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                + $"Content-Length: {contentLength}\r\nExpect: 100-continue\r\n{extraHeaders}\r\n");

        public async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

        /// <summary>The next response: status line, headers and (for a final one) the body, by Content-Length or chunks.</summary>
        public async Task<RawResponse> ReadResponseAsync()
        {
            using var bound = new CancellationTokenSource(HangGuard);
            try
            {
                var statusLine = await ReadLineAsync(bound.Token);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                for (var line = await ReadLineAsync(bound.Token); line.Length > 0; line = await ReadLineAsync(bound.Token))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    headers[line[..colon]] = line[(colon + 1)..].Trim();
                }

                var response = new RawResponse(statusLine, headers, "");
                return response.Status < 200 ? response : response with { Body = await ReadBodyAsync(headers, bound.Token) };
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                Assert.Fail($"No complete response within {HangGuard.TotalSeconds} s; unparsed bytes: '{Encoding.UTF8.GetString([.. _pending])}'");
                throw;
            }
        }

        private async Task<string> ReadBodyAsync(Dictionary<string, string> headers, CancellationToken cancel)
        {
            if (headers.TryGetValue("Content-Length", out var length))
            {
                return Encoding.UTF8.GetString(await ReadBytesAsync(int.Parse(length, CultureInfo.InvariantCulture), cancel));
            }

            Assert.Equal("chunked", headers.GetValueOrDefault("Transfer-Encoding"));
            var body = new List<byte>();
            for (var size = await ReadChunkSizeAsync(cancel); size > 0; size = await ReadChunkSizeAsync(cancel))
            {
                body.AddRange(await ReadBytesAsync(size, cancel));
                Assert.Equal("", await ReadLineAsync(cancel));
            }

            while ((await ReadLineAsync(cancel)).Length > 0)
            {
                // Trailers: none expected, skipped.
            }

            return Encoding.UTF8.GetString([.. body]);
        }

        private async Task<int> ReadChunkSizeAsync(CancellationToken cancel) =>
            int.Parse((await ReadLineAsync(cancel)).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        private async Task<string> ReadLineAsync(CancellationToken cancel)
        {
            int end;
            while ((end = IndexOfLineEnd()) < 0)
            {
                await FillAsync(cancel);
            }

            var line = Encoding.Latin1.GetString([.. _pending[..end]]);
            _pending.RemoveRange(0, end + 2);
            return line;
        }

        private async Task<byte[]> ReadBytesAsync(int count, CancellationToken cancel)
        {
            while (_pending.Count < count)
            {
                await FillAsync(cancel);
            }

            var bytes = _pending[..count].ToArray();
            _pending.RemoveRange(0, count);
            return bytes;
        }

        private int IndexOfLineEnd()
        {
            for (var i = 0; i + 1 < _pending.Count; i++)
            {
                if (_pending[i] == '\r' && _pending[i + 1] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The server closes the connection (end of stream or a reset) with nothing more sent.</summary>
        public async Task AssertClosedAsync()
        {
            using var bound = new CancellationTokenSource(HangGuard);
            var buffer = new byte[1];
            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, bound.Token);
            }
            catch (IOException)
            {
                read = 0; // reset
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                Assert.Fail($"The connection was still open {HangGuard.TotalSeconds} s after the answer");
                throw;
            }

            Assert.Equal(0, read);
            Assert.Empty(_pending);
        }

        private async Task FillAsync(CancellationToken cancel)
        {
            var buffer = new byte[8192];
            var read = await _stream.ReadAsync(buffer, cancel);
            if (read == 0)
            {
                Assert.Fail($"The gateway closed the connection mid-response; unparsed bytes: '{Encoding.UTF8.GetString([.. _pending])}'");
            }

            _pending.AddRange(buffer.AsSpan(0, read));
        }

        public void Dispose() => _socket.Dispose();
    }
}
