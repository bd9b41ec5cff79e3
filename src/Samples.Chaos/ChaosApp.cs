using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;

namespace Samples.Chaos;

/// <summary>A deliberately misbehaving upstream for the gateway's 502/504 tests.</summary>
public static class ChaosApp
{
    public const string DefaultUrl = "http://127.0.0.1:5002";
    public const int MaxSleepMs = 60_000;

    public static WebApplication Create(string[] args)
    {
        var builder = SampleHost.CreateBuilder(args, DefaultUrl, "chaos");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            // The garbage responder reads HTTP/1 request lines, so HTTP/2 is off.
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(GarbageResponder.Wrap);
        }));

        var app = builder.Build();

        // Only a connection's first request is inspected for /chaos/garbage, so connections are never reused.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                // Not on a 101: an upgraded connection's headers say "Connection: Upgrade".
                if (context.Response.StatusCode != StatusCodes.Status101SwitchingProtocols)
                {
                    context.Response.Headers.Connection = "close";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseProblemDetailsErrors();
        app.UseWebSockets();

        app.MapHealthCheck();
        // Any method: a slow upload target as well as a slow GET.
        app.Map("/chaos/slow", Sleep);
        app.Map("/chaos/status/{code:int}", AnswerStatus);
        app.MapGet("/chaos/reset", AbortConnection);
        // A WebSocket echo (101 Switching Protocols, then every message sent back until the client closes).
        app.Map("/chaos/ws", EchoAsync);
        // A flaky upstream: this share of requests (percent) gets its connection reset before any answer byte.
        app.MapGet("/chaos/flaky", Flaky);
        // Slow under load: each request takes ms for every request in progress here (itself included).
        var inProgress = new StrongBox<int>(); // Per app: tests run several in one process.
        app.MapGet("/chaos/loaded", (CancellationToken requestAborted, int ms = 20) => LoadedAsync(inProgress, ms, requestAborted));
        // What the upstream received, so a test can see the gateway's forwarded headers (traceparent, X-Forwarded-*).
        app.MapGet("/chaos/headers", (HttpRequest request) =>
            TypedResults.Ok(request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        // Reached only if a request to it was not the first on its connection.
        app.MapGet(GarbageResponder.Path, AbortConnection);
        return app;
    }

    private static async Task<IResult> Sleep(CancellationToken requestAborted, int ms = 1000)
    {
        if (ms < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ms"] = ["ms must not be negative."] });
        }

        var sleptMs = Math.Min(ms, MaxSleepMs);
        await Task.Delay(sleptMs, requestAborted);
        return TypedResults.Ok(new { sleptMs });
    }

    private static IResult AnswerStatus(int code, HttpContext context)
    {
        // 1xx are interim responses a handler cannot send as the final answer.
        if (code is < 200 or > 599)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["code must be between 200 and 599."] });
        }

        var headers = context.Response.Headers;
        switch (code)
        {
            case 429 or 503:
                headers.RetryAfter = "5";
                break;
            case 405:
                headers.Allow = "GET";
                break;
            case 301 or 302 or 303 or 307 or 308:
                headers.Location = "/";
                break;
            case 401:
                headers.WWWAuthenticate = "Bearer";
                break;
        }

        // These statuses must not carry content.
        if (code is 204 or 205 or 304)
        {
            return TypedResults.StatusCode(code);
        }

        // Unregistered codes such as 599 have no reason phrase.
        var reason = ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : null;
        return code >= 400
            ? TypedResults.Problem(statusCode: code, title: reason, detail: $"The chaos service answered {code} as asked.")
            : TypedResults.Json(new { status = code, reason }, statusCode: code);
    }

    private static void AbortConnection(HttpContext context) => context.Abort();

    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
        {
            // The client went away without a close handshake.
        }
    }

    private static IResult Flaky(HttpContext context, int percent = 50)
    {
        if (percent is < 0 or > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["percent"] = ["percent must be 0 to 100."] });
        }

        if (Random.Shared.Next(100) < percent)
        {
            context.Abort();
            return TypedResults.Empty;
        }

        return TypedResults.Ok(new { reset = false, percent });
    }

    private static async Task<IResult> LoadedAsync(StrongBox<int> inProgress, int ms, CancellationToken requestAborted)
    {
        if (ms is < 0 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ms"] = ["ms must be 0 to 1000."] });
        }

        var concurrent = Interlocked.Increment(ref inProgress.Value);
        try
        {
            var sleptMs = Math.Min(MaxSleepMs, ms * concurrent);
            await Task.Delay(sleptMs, requestAborted);
            return TypedResults.Ok(new { sleptMs, concurrent });
        }
        finally
        {
            Interlocked.Decrement(ref inProgress.Value);
        }
    }
}
