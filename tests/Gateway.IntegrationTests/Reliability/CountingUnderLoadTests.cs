using System.Collections.Concurrent;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>Invariant 1: every request gets exactly one response and is counted exactly once, under concurrent load.</summary>
public sealed class CountingUnderLoadTests : PerTestGateway
{
    private static readonly string[] Classes = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Bodies _bodies = new(nameof(CountingUnderLoadTests));

    /// <summary>Every route of the root config and what the gateway makes itself (no route, limits, timeout, unreachable, no healthy).</summary>
    private static readonly (string Method, string Path, int BodyBytes)[] Mix =
    [
        ("GET", "/api/users/1", 0),
        ("GET", "/api/users/424242", 0),
        ("GET", "/api/search?q=phones", 0),
        ("GET", "/api/profile", 0),
        ("DELETE", "/api/admin/users/1", 0),
        ("GET", "/api/crash", 0),
        ("GET", "/old-url", 0),
        ("GET", "/login", 0),
        ("GET", "/chaos/status/200", 0),
        ("GET", "/chaos/status/503", 0),
        ("GET", "/chaos/slow?ms=20", 0),
        ("GET", "/chaos/reset", 0),
        ("GET", "/chaos/garbage", 0),
        ("GET", "/unreachable/x", 0),
        ("GET", "/unhealthy/x", 0),
        ("GET", "/no/such/route", 0),
        ("POST", "/api/users", 2 * 1024 * 1024),
    ];

    [Fact]
    public async Task Under_concurrent_load_on_every_route_the_client_tally_per_class_equals_the_counted_increase()
    {
        const int requests = 600;
        const int workers = 16;
        var (_, before) = await MetricsScrape.ReadAsync(Gateway);
        var tally = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentBag<string>();
        var next = -1;

        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var (method, path, bodyBytes) = Mix[i % Mix.Length];
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (bodyBytes > 0)
                {
                    request.Content = new ByteArrayContent(new byte[bodyBytes]);
                    request.Headers.ExpectContinue = true;
                }

                try
                {
                    using var response = await Client.SendAsync(request);
                    await _bodies.ReadAsync(response);
                    tally.AddOrUpdate(Class((int)response.StatusCode), 1, (_, n) => n + 1);
                }
                catch (HttpRequestException failure)
                {
                    failures.Add($"{method} {path}: {failure.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkerAsync)));
        Assert.True(failures.IsEmpty, "requests without a response: " + string.Join("; ", failures));
        Assert.Equal(requests, tally.Values.Sum());

        // The counter is incremented when the middleware pipeline returns, which can be a moment after the
        // client has the whole answer: poll until it settles, then it must equal the tally exactly.
        Dictionary<string, double> counted = [];
        await Eventually.HoldsAsync(async () =>
        {
            var (_, after) = await MetricsScrape.ReadAsync(Gateway);
            counted = after.ResponsesByClassSince(before, Classes);
            return counted.All(pair => pair.Value == tally.GetValueOrDefault(pair.Key));
        }, "the counted increase per class equals the client's tally", seconds: 5);

        foreach (var statusClass in Classes.Skip(1))
        {
            Assert.True(tally.GetValueOrDefault(statusClass) > 0, $"the mix produced no {statusClass}");
        }

        _bodies.AssertNoInternals();
    }

    private static string Class(int status) => $"{status / 100}xx";
}
