using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// Every response body the reliability suite produced. xunit has no test ordering, so there is no "last test"
/// to scan them all: each test keeps its own <see cref="Bodies"/>, which also feeds the suite-wide bag, and
/// ends with <see cref="AssertNoInternals"/> over what it saw.
/// </summary>
internal sealed class Bodies
{
    /// <summary>All bodies of the suite (test, what was asked, body), for a failure message or a later look.</summary>
    public static readonly ConcurrentBag<(string Test, string Request, string Body)> All = new();

    private readonly ConcurrentBag<(string Request, string Body)> _mine = new();
    private readonly string _test;

    public Bodies(string test) => _test = test;

    public int Count => _mine.Count;

    public void Add(string request, string body)
    {
        _mine.Add((request, body));
        All.Add((_test, request, body));
    }

    /// <summary>Reads and keeps the body of a response.</summary>
    public async Task<string> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Add($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}", body);
        return body;
    }

    /// <summary>No stack trace, exception type name or internal address in any body this test produced.</summary>
    public void AssertNoInternals()
    {
        foreach (var (request, body) in _mine)
        {
            try
            {
                ProblemAssert.NoInternals(body);
            }
            catch (Xunit.Sdk.XunitException failure)
            {
                Assert.Fail($"{_test}: the body answering {request} leaks internals: {failure.Message}\n{body}");
            }
        }
    }
}

/// <summary>Bytes on a socket, for what HttpClient refuses to send (malformed lines, NUL, duplicate lengths, slow headers).</summary>
internal static class RawHttp
{
    public sealed record Answer(string Raw, bool Closed = true)
    {
        public int Status => Raw.Length >= 12 && int.TryParse(Raw.AsSpan(9, 3), out var code) ? code : 0;

        public string Body => Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0 ? Raw[(end + 4)..] : "";
    }

    /// <summary>Sends the bytes and reads until the server closes the connection (or the bound passes).</summary>
    /// <param name="from">The loopback address to send from (see <see cref="LoopbackSource"/>); 127.0.0.1 when null.</param>
    public static async Task<Answer> SendAsync(Uri server, byte[] request, int seconds = 10, IPAddress? from = null)
    {
        using var socket = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        await socket.ConnectAsync(server.Host, server.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var answer = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset after the answer: keep what arrived.
        }
        catch (OperationCanceledException)
        {
            // Bound reached with the connection still open: return what arrived.
            return new Answer(Encoding.Latin1.GetString(answer.ToArray()), Closed: false);
        }

        return new Answer(Encoding.Latin1.GetString(answer.ToArray()));
    }

    public static Task<Answer> SendAsync(Uri server, string request, int seconds = 10) =>
        SendAsync(server, Encoding.Latin1.GetBytes(request), seconds);
}
