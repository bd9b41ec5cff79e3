using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// A request-smuggling battery on raw TCP: each case hides a second request (GET /count/smuggled) where a front end and a
/// back end could disagree about where the first one ends. Behind the gateway, an upstream that counts what it receives:
/// a refused case reaches it not at all, a case read as one request reaches it once (the hidden text stays body),
/// and the hidden request never. Who refuses (Kestrel or a gateway check) does not matter here: only that nothing leaks.
/// </summary>
public sealed class SmugglingTests : IAsyncLifetime
{
    private const string Hidden = "GET /count/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    private readonly Upstreams _upstreams = new();
    private readonly ConcurrentQueue<string> _received = new();
    private WebApplication _counter = null!;
    private TestConfig _config = null!;
    private GatewayInstance _gateway = null!;

    /// <summary>What the client and the upstream see; the hidden request reaches the upstream in none.</summary>
    public enum Outcome
    {
        /// <summary>4xx (or a close without an answer); the upstream receives nothing.</summary>
        Refused,

        /// <summary>
        /// A framing error found in the body: 4xx (or a close); the body is streamed, so the upstream may have received the
        /// start of the one request (it sees its body end in an abort), never a second.
        /// </summary>
        BodyRefused,

        /// <summary>Valid framing: one answer (200), one request upstream; the hidden text was body.</summary>
        One,
    }

    public static TheoryData<string, string, Outcome> Cases() => new()
    {
        // RFC 9112 §6.1: Transfer-Encoding wins over Content-Length; the connection is closed after the answer.
        { "CL.TE", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{Hidden}", Outcome.One },
        { "TE.CL", $"POST /count/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n{Hidden.Length:x}\r\n{Hidden}\r\n0\r\n\r\n", Outcome.One },
        { "TE xchunked", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "TE chunked, identity", $"POST /count/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "TE identity", $"POST /count/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "two TE headers", $"POST /count/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "space before the colon", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "TE as an obs-fold of another header", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-A: b\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "TE value folded onto a second line", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "a control character before the TE value", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n{Hidden}", Outcome.Refused },
        { "two different Content-Length", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: {Hidden.Length}\r\n\r\n{Hidden}", Outcome.Refused },
        { "two equal Content-Length", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n{Hidden}", Outcome.Refused },
        { "Content-Length in hex", $"POST /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: 0x0\r\n\r\n{Hidden}", Outcome.Refused },
        { "chunk size overflowing", $"POST /count/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000000000001\r\nx\r\n0\r\n\r\n{Hidden}", Outcome.BodyRefused },
        { "chunk size with a 0x prefix", $"POST /count/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n{Hidden}", Outcome.BodyRefused },
        { "chunk data longer than its size", $"POST /count/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxx\r\n0\r\n\r\n{Hidden}", Outcome.BodyRefused },
        // RFC 9112 §2.2 lets a recipient read a bare LF as a line end (Kestrel does); the upstream gets the request re-framed
        // with CRLF by the gateway, so the two cannot disagree: the hidden text, inside the declared length, stays body.
        { "bare LF line ends", $"POST /count/a HTTP/1.1\nHost: x\nContent-Length: {Hidden.Length}\n\n{Hidden}", Outcome.One },
        { "bare LF inside a header value", $"POST /count/a HTTP/1.1\r\nHost: x\r\nX-A: b\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{Hidden}", Outcome.One },
        // Valid HTTP: the bytes after the declared length are body, forwarded as such, never a request of their own.
        { "GET with a body (CL.0)", $"GET /count/a HTTP/1.1\r\nHost: x\r\nContent-Length: {Hidden.Length}\r\n\r\n{Hidden}", Outcome.One },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hidden_request_never_reaches_the_upstream(string name, string request, Outcome outcome)
    {
        var answer = await RawHttp.SendAsync(_gateway.Public.BaseAddress!, request, seconds: 3);
        var answers = answer.Raw.Split("HTTP/1.1 ").Length - 1;
        var received = _received.ToArray();
        Assert.DoesNotContain("/count/smuggled", received);
        if (outcome != Outcome.One)
        {
            Assert.True(answer.Status is >= 400 and < 500 || (answer.Status == 0 && answer.Closed), $"{name}: {answer.Raw}");
            Assert.True(received.Length <= (outcome == Outcome.Refused ? 0 : 1), $"{name}: the upstream received {string.Join(", ", received)}");
            Assert.True(answers <= 1, $"{name}: {answer.Raw}");
        }
        else
        {
            Assert.True(answer.Status == 200 && answers == 1, $"{name}: {answer.Raw}");
            Assert.Equal(["/count/a"], received);
        }
    }

    public async Task InitializeAsync()
    {
        await _upstreams.InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        _counter = builder.Build();
        // Counts every request it is sent, whatever its path; reads the body so a body can never pose as a request.
        _counter.Run(async context =>
        {
            _received.Enqueue(context.Request.Path.Value ?? "");
            await context.Request.Body.CopyToAsync(Stream.Null);
            await context.Response.WriteAsync("counted");
        });
        await _counter.StartAsync();
        _config = TestConfig.FromRoot(_upstreams);
        _config.Edit(json =>
        {
            json["ReverseProxy"]!["Routes"]!["count"] = JsonNode.Parse("""{ "ClusterId": "counter", "Match": { "Path": "/count/{**rest}" } }""");
            json["ReverseProxy"]!["Clusters"]!["counter"] = new JsonObject
            {
                ["Destinations"] = new JsonObject { ["counter-1"] = new JsonObject { ["Address"] = _counter.Urls.Single() } },
            };
        });
        _gateway = await GatewayInstance.StartAsync(_config.Path);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _counter.StopAsync();
        await _counter.DisposeAsync();
        await _upstreams.DisposeAsync();
        _config.Dispose();
    }
}
