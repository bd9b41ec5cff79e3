using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests;

/// <summary>The admin port's status page in a real Chromium, against a real gateway with traffic.</summary>
public sealed class StatusPageBrowserTests(ITestOutputHelper output) : PerTestGateway
{
    /// <summary>As a pod's name would be; the gateway's default is the machine name.</summary>
    private const string Replica = "gateway-7d9f-x2";

    /// <summary>The page's one rate, once above zero.</summary>
    private const string NowAboveZero = "() => /[1-9]/.test(document.querySelector('#rate strong')?.textContent ?? '')";

    protected override string[] GatewayArgs => [$"--Gateway:Replica={Replica}"];

    [RealComponentFact("chromium")]
    public async Task The_page_shows_live_numbers_and_its_buttons_put_a_route_in_maintenance()
    {
        using var stopTraffic = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var traffic = SendTrafficAsync(Client, ["/api/users/1", "/api/users/999", "/no/route", "/unreachable/x", "/api/search?q=phones"], stopTraffic.Token);

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(Gateway, GatewayInstance.AdminKey);

        var usersRow = page.Locator("#routes tbody tr", new() { HasText = "users-api" }).First;
        await Assertions.Expect(usersRow).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#replicas")).ToHaveTextAsync($"Whole gateway: 1 replica ({Replica}) · answered by {Replica} · store memory");
        await Assertions.Expect(page.Locator("#store-warning")).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#audit-state")).ToHaveTextAsync("No admin changes yet.");
        await Assertions.Expect(page.Locator("#chart rect").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync(NowAboveZero, null, new() { Timeout = 15_000 });
        await Assertions.Expect(usersRow.Locator("td[data-label='Recent answers']")).ToContainTextAsync(RecentAnswers());
        await Assertions.Expect(usersRow.Locator(".state")).ToHaveTextAsync("serving");
        // The destination the active probes took out says so (the passive check would read "passive check").
        await Assertions.Expect(page.Locator("#routes tbody tr", new() { HasText = "unhealthy (active check)" }).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Contains("upstream", await page.InnerTextAsync("#origins"), StringComparison.Ordinal);
        Assert.Contains("Applied", await page.InnerTextAsync("#config-state"), StringComparison.Ordinal);

        // The button is a real button: reachable by keyboard and named by its text.
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Start maintenance for users-api" });
        await start.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(usersRow).ToContainTextAsync("maintenance");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOfUsersAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "End maintenance for users-api" }).ClickAsync();
        await Assertions.Expect(usersRow.Locator(".state")).ToHaveTextAsync("serving");
        Assert.Equal(HttpStatusCode.OK, await StatusOfUsersAsync());

        // Both changes are in the audit, newest first, by key name: the key itself is nowhere on the page.
        var audit = page.Locator("#audit tbody tr");
        await Assertions.Expect(audit).ToHaveCountAsync(2);
        await Assertions.Expect(audit.First).ToContainTextAsync("maintenance.end");
        Assert.Equal(
            [[Replica, "demo-admin", "maintenance.end", "ended"], [Replica, "demo-admin", "maintenance.set", "enabled, routes: users-api"]],
            await AuditRowsAsync(page));
        await Assertions.Expect(page.Locator("#audit-state")).ToHaveTextAsync("2 changes, newest first (the gateway keeps the newest 100).");
        Assert.DoesNotContain(GatewayInstance.AdminKey, await page.ContentAsync(), StringComparison.Ordinal);

        await stopTraffic.CancelAsync();
        await traffic;
    }

    [RealComponentFact("chromium")]
    public async Task At_1280_and_at_phone_width_nothing_overflows_and_the_failing_route_says_so_in_words_and_colour()
    {
        using var stopTraffic = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var traffic = SendTrafficAsync(Client, ["/api/users/1", "/unreachable/x", "/api/search?q=phones", "/unhealthy/x", "/old-url", "/api/users/999"], stopTraffic.Token);
        // An audit row too, as wide as a real one.
        using (var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{"enabled":true,"routes":["user-admin"]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(Gateway, GatewayInstance.AdminKey);
        var unreachable = page.Locator("#routes tbody tr[data-route='unreachable'] .state");
        await Assertions.Expect(unreachable).ToHaveTextAsync("failing", new() { Timeout = 30_000 });
        await Assertions.Expect(unreachable).ToHaveClassAsync(new Regex(@"\bbad\b"));
        await Assertions.Expect(page.Locator("#routes tbody tr[data-route='unreachable'] .reason")).ToContainTextAsync("100% of");
        await Assertions.Expect(page.Locator("#routes tbody tr[data-route='unhealthy'] .state")).ToHaveTextAsync("failing");
        var users = page.Locator("#routes tbody tr[data-route='users-api'] .state");
        await Assertions.Expect(users).ToHaveTextAsync("serving");
        await Assertions.Expect(users).ToHaveClassAsync(new Regex(@"\bok\b"));
        await Assertions.Expect(page.Locator("#routes tbody tr[data-route='user-admin'] .state")).ToHaveTextAsync("maintenance");
        await Assertions.Expect(page.Locator("#audit tbody tr")).ToHaveCountAsync(1);
        await page.WaitForFunctionAsync(NowAboveZero, null, new() { Timeout = 15_000 });

        // Into a temp folder: no test writes into the repository (the README's picture is made on purpose, by docs/screenshots/status-page.sh).
        var folder = Directory.CreateTempSubdirectory("gateway-status-page-").FullName;
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            var png = Path.Combine(folder, $"status-page-{width}x{height}.png");
            await page.ScreenshotAsync(new() { Path = png, FullPage = true });
            output.WriteLine($"screenshot: {png}");
            var overflow = await page.EvaluateAsync<string[]>("""
                () => {
                  const found = [];
                  const root = document.documentElement;
                  if (root.scrollWidth > window.innerWidth) found.push(`page ${root.scrollWidth} px wide in ${window.innerWidth}`);
                  for (const id of ["routes-box", "audit-box"]) {
                    const box = document.getElementById(id);
                    if (box.scrollWidth > box.clientWidth) found.push(`${id} ${box.scrollWidth} px wide in ${box.clientWidth}`);
                  }
                  for (const button of document.querySelectorAll("button")) {
                    const r = button.getBoundingClientRect();
                    if (r.left < 0 || r.right > root.clientWidth) found.push(`button "${button.textContent}" from ${r.left} to ${r.right} px`);
                  }
                  return found;
                }
                """);
            Assert.True(overflow.Length == 0, $"at {width}x{height}: {string.Join("; ", overflow)} (screenshot {png})");
        }

        await stopTraffic.CancelAsync();
        await traffic;
    }

    [RealComponentFact("chromium")]
    public async Task A_second_tab_shows_the_same_last_five_minutes_at_once_not_an_empty_chart()
    {
        for (var i = 0; i < 12; i++)
        {
            await StatusAsync(i % 3 == 0 ? "/unreachable/x" : "/api/users/1");
        }

        await Eventually.HoldsAsync(async () => await HistoryRequestsAsync(Gateway) == 12, "the last five minutes hold the 12 answers");
        await using var chromium = await Chromium.LaunchAsync();
        var first = await chromium.OpenAsync(Gateway, GatewayInstance.AdminKey);
        var second = await chromium.OpenAsync(Gateway, GatewayInstance.AdminKey);
        foreach (var tab in new[] { first, second })
        {
            await Assertions.Expect(tab.Locator("#rate")).ToContainTextAsync("12 in the last 5 minutes");
            await Assertions.Expect(tab.Locator("#legend")).ToContainTextAsync("2xx: 8");
            await Assertions.Expect(tab.Locator("#origins tbody")).ToContainTextAsync("unreachable4");
        }

        Assert.Equal(await first.Locator("#chart rect").CountAsync(), await second.Locator("#chart rect").CountAsync());
        Assert.True(await second.Locator("#chart rect").CountAsync() > 0);
    }

    [RealComponentFact("chromium")]
    public async Task A_read_only_key_sees_the_page_but_cannot_change_maintenance()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(Gateway, GatewayInstance.ReadOnlyKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start maintenance for the whole gateway" }).ClickAsync();
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("admin key");
        Assert.Equal(HttpStatusCode.OK, await StatusOfUsersAsync());
        await Assertions.Expect(page.Locator("#audit-state")).ToHaveTextAsync("No admin changes yet.");

        await page.GotoAsync(Gateway.Admin.BaseAddress!.ToString());
        await page.EvaluateAsync("() => sessionStorage.setItem('gateway-admin-key', 'wrong')");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("not accepted");

        // More wrong keys from this address (the browser's too) block it: the page says so, for the right key as well.
        var status = HttpStatusCode.Unauthorized;
        for (var tries = 0; tries < 10 && status != HttpStatusCode.TooManyRequests; tries++)
        {
            status = await WrongKeyStatusAsync();
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, status);

        await page.EvaluateAsync($"() => sessionStorage.setItem('gateway-admin-key', '{GatewayInstance.AdminKey}')");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("Too many wrong keys from this address");
    }

    [RealComponentFact("redis-server")]
    public async Task Across_replicas_the_page_names_them_and_lists_the_changes_made_on_each()
    {
        await using var replicas = await TwoReplicas.StartAsync(Config.Path);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(replicas.A, GatewayInstance.AdminKey);
        await Assertions.Expect(page.Locator("#replicas")).ToHaveTextAsync(TwoReplicas.WholeGateway);
        await Assertions.Expect(page.Locator("#store-warning")).ToBeEmptyAsync();

        // A change made on this page, then one made on the other replica: the audit poll brings that one too.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start maintenance for the whole gateway" }).ClickAsync();
        var audit = page.Locator("#audit tbody tr");
        await Assertions.Expect(audit.First).ToContainTextAsync("enabled, whole gateway");
        using (var end = await replicas.B.AdminAsync(HttpMethod.Delete, "/admin/maintenance"))
        {
            Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        }

        await Assertions.Expect(audit).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        Assert.Equal(
            [["b", "demo-admin", "maintenance.end", "ended"], ["a", "demo-admin", "maintenance.set", "enabled, whole gateway"]],
            await AuditRowsAsync(page));
    }

    [RealComponentFact("redis-server")]
    public async Task While_the_store_is_away_the_page_says_so_and_neither_its_return_nor_a_restart_draws_a_spike()
    {
        await using var replicas = await TwoReplicas.StartAsync(Config.Path);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(replicas.A, GatewayInstance.AdminKey);
        var line = page.Locator("#replicas");
        var warning = page.Locator("#store-warning");
        await Assertions.Expect(line).ToHaveTextAsync(TwoReplicas.WholeGateway);

        // Each store call now waits seconds before it fails.
        await replicas.StopStoreAsync();
        var away = new LocatorAssertionsToContainTextOptions { Timeout = 30_000 };
        await Assertions.Expect(warning).ToContainTextAsync("Shared store unreachable since", away);
        await Assertions.Expect(warning).ToContainTextAsync("numbers are this replica's only");
        await Assertions.Expect(line).ToHaveTextAsync("This replica only: a · store redis");
        await Assertions.Expect(page.Locator("#audit-state")).ToContainTextAsync("cannot be read now (503)", away);

        // Meanwhile b serves: when the store returns, b's count joins the sum at once, which is a reset, not a rate.
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(200, await replicas.B.Public.StatusAsync("/api/users/1"));
        }

        await replicas.StartStoreAsync();
        await Assertions.Expect(line).ToHaveTextAsync(TwoReplicas.WholeGateway, new() { Timeout = 30_000 });
        await Assertions.Expect(warning).ToBeEmptyAsync();
        Assert.Equal(300, await TotalRequestsAsync(replicas.A));
        // b's answers during the outage join the chart where they happened, once: b kept them in its own buckets.
        await Assertions.Expect(page.Locator("#rate")).ToContainTextAsync("300 in the last 5 minutes", new() { Timeout = 15_000 });

        // b restarts, its count from 0 again: it takes back what it published, so nothing is lost or counted twice.
        await replicas.RestartBAsync();
        await Assertions.Expect(line).ToHaveTextAsync(TwoReplicas.WholeGateway, new() { Timeout = 15_000 });
        Assert.Equal(300, await HistoryRequestsAsync(replicas.A));
        Assert.Equal(300, await HistoryRequestsAsync(replicas.B));
        using var stopTraffic = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var traffic = SendTrafficAsync(replicas.B.Public, ["/api/users/1"], stopTraffic.Token);
        await page.WaitForFunctionAsync(NowAboveZero, null, new() { Timeout = 10_000 });
        await stopTraffic.CancelAsync();
        await traffic;
    }

    private static async Task<double> TotalRequestsAsync(GatewayInstance replica)
    {
        using var response = await replica.AdminAsync(HttpMethod.Get, "/admin/status", GatewayInstance.ReadOnlyKey);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("totals").GetProperty("requests").GetDouble();
    }

    /// <summary>The answers in <c>/admin/status</c>'s last five minutes.</summary>
    private static async Task<double> HistoryRequestsAsync(GatewayInstance replica)
    {
        using var response = await replica.AdminAsync(HttpMethod.Get, "/admin/status", GatewayInstance.ReadOnlyKey);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("history").GetProperty("totals").GetProperty("requests").GetDouble();
    }

    /// <summary>The audit table's rows without their time: replica, key name, action, change.</summary>
    private static async Task<string[][]> AuditRowsAsync(IPage page)
    {
        var rows = page.Locator("#audit tbody tr");
        var result = new List<string[]>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            result.Add((await rows.Nth(i).Locator("td").AllInnerTextsAsync()).ToArray());
        }

        return result.ToArray();
    }

    /// <summary>A route's recent answers as the page words them, some at least.</summary>
    private static Regex RecentAnswers() => new("^[1-9][0-9]* in the last (minute|5 minutes), ");

    private async Task<HttpStatusCode> StatusOfUsersAsync() => (HttpStatusCode)await StatusAsync("/api/users/1");

    private async Task<HttpStatusCode> WrongKeyStatusAsync()
    {
        using var response = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status", key: "wrong");
        return response.StatusCode;
    }

    private static async Task SendTrafficAsync(HttpClient client, string[] paths, CancellationToken stop)
    {
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await client.GetAsync(new Uri(paths[i % paths.Length], UriKind.Relative), stop);
                await Task.Delay(50, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Replicas a and b (each its own host, metrics and store client) sharing a real redis-server, which a test may
    /// stop and start again (empty, on its port, as a Redis without persistence comes back), and whose b it may restart.
    /// </summary>
    private sealed class TwoReplicas : IAsyncDisposable
    {
        public const string WholeGateway = "Whole gateway: 2 replicas (a, b) · answered by a · store redis";
        private readonly string _config;
        private readonly int _port;
        private RedisServer? _redis;
        private GatewayInstance? _a;
        private GatewayInstance? _b;

        private TwoReplicas(string config, RedisServer redis)
        {
            _config = config;
            _redis = redis;
            _port = redis.Port;
        }

        public GatewayInstance A => _a!;

        public GatewayInstance B => _b!;

        public static async Task<TwoReplicas> StartAsync(string config)
        {
            var replicas = new TwoReplicas(config, await RedisServer.StartAsync());
            try
            {
                replicas._a = await replicas.StartReplicaAsync("a");
                replicas._b = await replicas.StartReplicaAsync("b");
                return replicas;
            }
            catch
            {
                await replicas.DisposeAsync();
                throw;
            }
        }

        public async Task StopStoreAsync()
        {
            var redis = _redis!;
            _redis = null;
            await redis.DisposeAsync();
        }

        public async Task StartStoreAsync() => _redis = await RedisServer.StartAsync(_port);

        public async Task RestartBAsync()
        {
            var b = _b!;
            _b = null;
            await b.DisposeAsync();
            _b = await StartReplicaAsync("b");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var replica in new[] { _a, _b })
            {
                if (replica is not null)
                {
                    await replica.DisposeAsync();
                }
            }

            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }

        private Task<GatewayInstance> StartReplicaAsync(string name) =>
            GatewayInstance.StartAsync(_config, $"--Store:Redis:ConnectionString=127.0.0.1:{_port}", $"--Store:IntegrityKey={RedisServer.IntegrityKey}", $"--Gateway:Replica={name}",
                "--Store:ReconcileInterval=00:00:00.200");
    }
}
