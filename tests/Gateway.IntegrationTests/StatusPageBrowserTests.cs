using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Gateway.IntegrationTests;

/// <summary>The admin port's status page in a real Chromium, against a real gateway with traffic.</summary>
public sealed partial class StatusPageBrowserTests : PerTestGateway
{
    /// <summary>As a pod's name would be; the gateway's default is the machine name.</summary>
    private const string Replica = "gateway-7d9f-x2";

    /// <summary>The chart's caption once it shows a rate above zero.</summary>
    private const string NowAboveZero = "() => /Now [1-9]/.test(document.querySelector('#chart-summary').textContent)";

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
        await Assertions.Expect(page.Locator("#chart polygon").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync(NowAboveZero, null, new() { Timeout = 15_000 });
        Assert.Matches("[1-9]", await usersRow.Locator("td").Nth(5).InnerTextAsync());
        Assert.Contains("serving", await usersRow.InnerTextAsync(), StringComparison.Ordinal);
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
        await Assertions.Expect(usersRow).ToContainTextAsync("serving");
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

        // Into the temp folder: no test writes into the repository (the README's picture is made on purpose, not by a test run).
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "gateway-status-page.png"), FullPage = true });

        // Phone width: nothing but the route table (which scrolls on its own) is wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));

        await stopTraffic.CancelAsync();
        await traffic;
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
        // The page has sampled b's count once it lists b's origin: the chart's peak is then what it would ever show.
        await Assertions.Expect(page.Locator("#origins tbody")).ToContainTextAsync("upstream");
        await Assertions.Expect(page.Locator("#chart line.reset").First).ToBeAttachedAsync();
        var peak = ScaleLabel().Match(await page.TextContentAsync("#chart text") ?? "");
        Assert.True(peak.Success && double.Parse(peak.Groups[1].Value, CultureInfo.InvariantCulture) < 10, $"the chart's peak: {peak.Value}");

        // b restarts, its count from 0 again: a reset too, so its new traffic is a rate at once, not hidden below its old count.
        await replicas.RestartBAsync();
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

    [GeneratedRegex(@"^([0-9.]+) /s$")]
    private static partial Regex ScaleLabel();

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

    /// <summary>Debian's Chromium driven by Playwright, closed with the test.</summary>
    private sealed class Chromium : IAsyncDisposable
    {
        private static readonly string[] Arguments =
            ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;

        private Chromium(IPlaywright playwright, IBrowser browser)
        {
            _playwright = playwright;
            _browser = browser;
        }

        public static async Task<Chromium> LaunchAsync()
        {
            var playwright = await Playwright.CreateAsync();
            try
            {
                return new Chromium(playwright, await playwright.Chromium.LaunchAsync(new()
                {
                    ExecutablePath = RealComponents.Require("chromium"),
                    Headless = true,
                    Args = Arguments,
                }));
            }
            catch
            {
                playwright.Dispose();
                throw;
            }
        }

        /// <summary>A new 1280×800 page on the gateway's status page, connected with the key.</summary>
        public async Task<IPage> OpenAsync(GatewayInstance gateway, string key)
        {
            var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            await page.GotoAsync(gateway.Admin.BaseAddress!.ToString());

            // The page asks for a key before showing anything.
            Assert.True(await page.IsVisibleAsync("#key"));
            await page.FillAsync("#key", key);
            await page.PressAsync("#key", "Enter");
            return page;
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
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
