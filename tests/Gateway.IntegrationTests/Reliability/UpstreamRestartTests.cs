using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Samples.UsersApi;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>Invariant 2: an upstream killed mid-load and restarted on the same port.</summary>
public sealed class UpstreamRestartTests : PerTestGateway
{
    private static readonly int[] Expected = [200, 502, 503];

    private readonly Bodies _bodies = new(nameof(UpstreamRestartTests));
    private readonly int _port = FreePort.Next();
    private WebApplication? _users;

    /// <summary>The paths the running users API instance received, in order (a new queue for each start).</summary>
    private ConcurrentQueue<string> _received = new();

    [Fact]
    public async Task A_killed_upstream_gives_502_then_503_once_unhealthy_and_200_within_the_interval_after_it_returns()
    {
        await StartUsersAsync();
        await Gateway.EditConfigAsync(Config, json =>
        {
            var users = json["ReverseProxy"]!["Clusters"]!["users"]!.AsObject();
            users["Destinations"]!["users-1"]!["Address"] = $"http://127.0.0.1:{_port}";
            users["Destinations"]!.AsObject().Remove("users-2"); // One destination: no retry or failover hides the outage.
            users["HealthCheck"] = JsonNode.Parse("""
                {
                  "AvailableDestinationsPolicy": "HealthyAndUnknown",
                  "Active": { "Enabled": true, "Interval": "00:00:01", "Timeout": "00:00:01", "Policy": "ConsecutiveFailures", "Path": "/healthz" }
                }
                """);
            users["Metadata"] = new JsonObject { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" };
        });
        await Eventually.HoldsAsync(async () => await StatusAsync("/api/users/1") == 200, "the users API answers through the gateway");

        // In flight: uploads whose body trickles in, so the upstream is still reading them when it dies.
        var inFlight = Enumerable.Range(0, 4).Select(_ => SlowUploadAsync()).ToList();
        await Eventually.HoldsAsync(() => Task.FromResult(TrickleStarted >= 4), "the slow uploads reached the upstream", seconds: 10);

        // Steady load from before the kill to after the return, each answer with the time it came.
        var seen = new ConcurrentQueue<(DateTime Started, DateTime At, int Status)>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var started = DateTime.UtcNow;
                using var response = await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
                await _bodies.ReadAsync(response);
                seen.Enqueue((started, DateTime.UtcNow, (int)response.StatusCode));
                await Task.Delay(10);
            }
        })).ToList();
        await Eventually.HoldsAsync(() => Task.FromResult(seen.Count(s => s.Status == 200) >= 20), "steady 200s before the kill", seconds: 10);

        var killed = DateTime.UtcNow;
        await StopUsersAsync();
        var outcomes = await Task.WhenAll(inFlight);
        Assert.All(outcomes, outcome => Assert.True(outcome is "502" or "reset", $"an in-flight request ended with {outcome}"));

        await Eventually.HoldsAsync(() => Task.FromResult(seen.Any(s => s.At > killed && s.Status == 503)),
            "new requests get 503 once the destination is marked unhealthy", seconds: 10);
        // A stretch of 503s before the restart, so "only 503 until the restart" below has something to judge.
        await Eventually.HoldsAsync(() => Task.FromResult(seen.Count(s => s.At > killed && s.Status == 503) >= 20), "a stretch of 503s", seconds: 10);

        var restarted = DateTime.UtcNow;
        await StartUsersAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(seen.Any(s => s.At > restarted && s.Status == 200)),
            "200 again after the upstream returns", seconds: 10);
        var healed = seen.First(s => s.At > restarted && s.Status == 200).At;
        // A stretch of answers after the healing, so "only 200 from then on" below has something to judge.
        await Eventually.HoldsAsync(() => Task.FromResult(seen.Count(s => s.Started > healed) >= 20), "a stretch of answers after the return", seconds: 10);
        stopLoad.Cancel();
        await Task.WhenAll(load);

        // The sequence: 200 ... (kill) 502 ... 503 ... (restart) 503 ... 200 ..., nothing else, no going back.
        // Judged by when each request started: one already on its way to the dead port when the destination was
        // marked unhealthy may still end in 502 after another request's 503.
        var afterKill = seen.Where(s => s.Started > killed).OrderBy(s => s.Started).ToList();
        Assert.All(afterKill, s => Assert.Contains(s.Status, Expected));
        var first503 = afterKill.Where(s => s.Status == 503).Min(s => s.At);
        Assert.Contains(afterKill, s => s.Status == 502 && s.Started < first503);
        Assert.All(afterKill.Where(s => s.Started > first503 && s.At < restarted), s => Assert.Equal(503, s.Status));
        Assert.All(afterKill.Where(s => s.Started > healed), s => Assert.Equal(200, s.Status));
        // Healthy again at the first health probe after the return (the probes come once an interval), not later and not
        // without one: what the returned upstream received is exactly one probe, then the proxied requests. (The 10 s
        // bound on "200 again" above only guards against a hang.)
        var received = _received.ToArray();
        var probesFirst = received.TakeWhile(path => path == "/healthz").Count();
        Assert.True(probesFirst == 1 && received.Length > 1, $"the returned upstream received: {string.Join(", ", received.Take(10))}");

        using var health = await Gateway.Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        _bodies.AssertNoInternals();
    }

    private int _trickleStarted;

    private int TrickleStarted => Volatile.Read(ref _trickleStarted);

    /// <summary>A JSON body sent a piece at a time, forever: the upstream is busy reading it when it is killed.</summary>
    private async Task<string> SlowUploadAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users")
        {
            Content = new TrickleContent(() => Interlocked.Increment(ref _trickleStarted)),
        };
        request.Content.Headers.ContentType = new("application/json");
        try
        {
            using var response = await Client.SendAsync(request);
            await _bodies.ReadAsync(response);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return "reset";
        }
    }

    private async Task StartUsersAsync()
    {
        var received = _received = new ConcurrentQueue<string>();
        _users = UsersApiApp.Create(["--urls", $"http://127.0.0.1:{_port}"]);
        _users.Use((context, next) =>
        {
            received.Enqueue(context.Request.Path.Value ?? "");
            return next(context);
        });
        await _users.StartAsync();
    }

    /// <summary>A kill, not a graceful stop: open connections are aborted at once.</summary>
    private async Task StopUsersAsync()
    {
        if (_users is { } users)
        {
            _users = null;
            using var now = new CancellationTokenSource();
            await now.CancelAsync();
            await users.StopAsync(now.Token);
            await users.DisposeAsync();
        }
    }

    public override async Task DisposeAsync()
    {
        await StopUsersAsync();
        await base.DisposeAsync();
    }

    private sealed class TrickleContent(Action started) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("""{"name":"slow","email":"slow@example.com","pad":" """));
            await stream.FlushAsync();
            started();
            for (var i = 0; i < 300; i++)
            {
                await stream.WriteAsync(" "u8.ToArray());
                await stream.FlushAsync();
                await Task.Delay(100);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
