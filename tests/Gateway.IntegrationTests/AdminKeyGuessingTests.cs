using System.Diagnostics;
using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 24, finding 5: the admin API could be guessed at full speed (1,000 wrong keys in 0.17 s, all 401, nothing
/// logged). Now a client address that sent 10 wrong keys within a minute gets 429 (origin admin, Retry-After) for every
/// admin request, the right key included, until the minute ends; logged once per block, counted; other clients go on.
/// </summary>
public sealed class AdminKeyGuessingTests(ITestOutputHelper output) : PerTestGateway
{
    private const int Allowed = 10;

    /// <summary>The tests' usual client connects from 127.0.0.1; these come from elsewhere on loopback.</summary>
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task A_thousand_wrong_keys_are_ten_401_then_429_with_retry_after_logged_once_and_counted()
    {
        var statuses = new List<int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            using var response = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status", key: $"guess-{i:D4}");
            statuses.Add((int)response.StatusCode);
            if (i == Allowed)
            {
                await ProblemAssert.IsGatewayProblemAsync(response, 429, "admin");
                var wait = Assert.IsType<TimeSpan>(response.Headers.RetryAfter?.Delta);
                Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            }
        }

        output.WriteLine($"1,000 wrong keys in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal([.. Enumerable.Repeat(401, Allowed), .. Enumerable.Repeat(429, 1000 - Allowed)], statuses);

        // Blocked means blocked: the right key from this address is refused too, or guessing would go on, told apart by 200.
        using (var right = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status"))
        {
            await ProblemAssert.IsGatewayProblemAsync(right, 429, "admin");
        }

        var blocked = Gateway.Logs.Entries.Where(entry => entry.Category.StartsWith("Gateway.Admin", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(blocked);
        Assert.Contains("127.0.0.1", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Gateway.Logs.Lines, logged => logged.Contains("guess-", StringComparison.Ordinal) || logged.Contains(GatewayInstance.AdminKey, StringComparison.Ordinal));

        var (_, samples) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(Allowed, samples.Sum("gateway_admin_key_failures_total", labels => labels["result"] == "wrong_key"));
        Assert.Equal(1000 - Allowed + 1, samples.Sum("gateway_admin_key_failures_total", labels => labels["result"] == "blocked"));
    }

    [Fact]
    public async Task Another_client_address_is_not_blocked()
    {
        await BlockAsync();
        using var neighbour = LoopbackSource.CreateClient(Gateway.Admin.BaseAddress!, Neighbour);

        using (var right = await SendAsync(neighbour, GatewayInstance.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        using (var wrong = await SendAsync(neighbour, "guess"))
        {
            await ProblemAssert.IsGatewayProblemAsync(wrong, 401, "auth");
        }

        using var stillBlocked = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status");
        Assert.Equal(429, (int)stillBlocked.StatusCode);
    }

    [Fact]
    public async Task A_request_without_a_key_is_not_a_guess()
    {
        for (var i = 0; i < 3 * Allowed; i++)
        {
            using var none = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status", key: null);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        using var right = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task The_block_ends_with_its_window_and_an_edited_window_applies_to_the_next_count()
    {
        await Gateway.EditConfigAsync(Config, json => json["Admin"]!["FailedKeyLimit"] = new System.Text.Json.Nodes.JsonObject { ["Window"] = "00:00:02" });
        var blockedAt = Stopwatch.StartNew();
        await BlockAsync();

        await Eventually.HoldsAsync(async () =>
        {
            using var right = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status");
            return right.StatusCode == HttpStatusCode.OK;
        }, "the right key is taken again after the 2 s window");
        output.WriteLine($"served again {blockedAt.Elapsed.TotalSeconds:F1} s after the block began");
    }

    [Fact]
    public async Task Probes_scrapes_and_the_status_page_stay_open_to_a_blocked_client()
    {
        await BlockAsync();

        foreach (var path in new[] { "/healthz", "/metrics", "/", "/_gateway/status/429" })
        {
            using var response = await Gateway.Admin.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    private async Task BlockAsync()
    {
        for (var i = 0; i < Allowed; i++)
        {
            using var wrong = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status", key: $"guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var blocked = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status", key: "guess");
        await ProblemAssert.IsGatewayProblemAsync(blocked, 429, "admin");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Add("X-Admin-Key", key);
        return await client.SendAsync(request);
    }
}
