using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Gateway.IntegrationTests;

/// <summary>The admin port's status page in a real Chromium, against a real gateway with traffic.</summary>
public sealed class StatusPageBrowserTests : PerTestGateway
{
    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    [RealComponentFact("chromium")]
    public async Task The_page_shows_live_numbers_and_its_buttons_put_a_route_in_maintenance()
    {
        using var stopTraffic = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var traffic = SendTrafficAsync(stopTraffic.Token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync(Gateway.Admin.BaseAddress!.ToString());

        // The page asks for a key before showing anything.
        Assert.True(await page.IsVisibleAsync("#key"));
        await page.FillAsync("#key", GatewayInstance.AdminKey);
        await page.PressAsync("#key", "Enter");

        var usersRow = page.Locator("#routes tbody tr", new() { HasText = "users-api" }).First;
        await Assertions.Expect(usersRow).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chart polygon").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await page.WaitForFunctionAsync("() => /Now [1-9]/.test(document.querySelector('#chart-summary').textContent)", null, new() { Timeout = 15_000 });
        Assert.Matches("[1-9]", await usersRow.Locator("td").Nth(5).InnerTextAsync());
        Assert.Contains("serving", await usersRow.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("upstream", await page.InnerTextAsync("#origins"), StringComparison.Ordinal);
        Assert.Contains("Applied", await page.InnerTextAsync("#config-state"), StringComparison.Ordinal);

        await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.Root, "docs", "status-page.png"), FullPage = true });

        // The button is a real button: reachable by keyboard and named by its text.
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Start maintenance for users-api" });
        await start.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(usersRow).ToContainTextAsync("maintenance");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOfUsersAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "End maintenance for users-api" }).ClickAsync();
        await Assertions.Expect(usersRow).ToContainTextAsync("serving");
        Assert.Equal(HttpStatusCode.OK, await StatusOfUsersAsync());

        // Phone width: nothing but the route table (which scrolls on its own) is wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));

        await stopTraffic.CancelAsync();
        await traffic;
    }

    [RealComponentFact("chromium")]
    public async Task A_read_only_key_sees_the_page_but_cannot_change_maintenance()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Gateway.Admin.BaseAddress!.ToString());
        await page.FillAsync("#key", GatewayInstance.ReadOnlyKey);
        await page.PressAsync("#key", "Enter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start maintenance for the whole gateway" }).ClickAsync();
        await Assertions.Expect(page.Locator("#action-result")).ToContainTextAsync("admin key");
        Assert.Equal(HttpStatusCode.OK, await StatusOfUsersAsync());

        await page.GotoAsync(Gateway.Admin.BaseAddress!.ToString());
        await page.EvaluateAsync("() => sessionStorage.setItem('gateway-admin-key', 'wrong')");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("not accepted");
    }

    private static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = RealComponents.Require("chromium"),
            Headless = true,
            Args = ChromiumArguments,
        });

    private async Task<HttpStatusCode> StatusOfUsersAsync() => (HttpStatusCode)await StatusAsync("/api/users/1");

    private async Task SendTrafficAsync(CancellationToken stop)
    {
        string[] paths = ["/api/users/1", "/api/users/999", "/no/route", "/unreachable/x", "/api/search?q=phones"];
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await Client.GetAsync(new Uri(paths[i % paths.Length], UriKind.Relative), stop);
                await Task.Delay(50, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
