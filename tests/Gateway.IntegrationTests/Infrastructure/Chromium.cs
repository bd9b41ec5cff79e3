using Microsoft.Playwright;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright, closed with the test.</summary>
internal sealed class Chromium : IAsyncDisposable
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
