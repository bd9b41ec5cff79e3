#:package Microsoft.Playwright
#:property PublishAot=false
// Takes the README's picture of the status page: Debian's Chromium, driven by Playwright, at 1280x800.
// Usage (status-page.sh runs it): dotnet run status-page.cs -- <admin url> <admin key> <png path> [width height]
using Microsoft.Playwright;

var (url, key, png) = (args[0], args[1], args[2]);
var (width, height) = args.Length > 4 ? (int.Parse(args[3]), int.Parse(args[4])) : (1280, 800);
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
await page.GotoAsync(url);
await page.FillAsync("#key", key);
await page.PressAsync("#key", "Enter");
await page.Locator("#routes tbody tr").First.WaitForAsync();
await page.Locator("#chart rect").First.WaitForAsync();
// The picture shows the unreachable route failing: wait until the gateway has had enough of its answers to say so.
var unreachable = page.Locator("#routes tr[data-route='unreachable'] .state");
try
{
    await unreachable.Filter(new() { HasText = "failing" }).WaitForAsync(new() { Timeout = 180_000 });
}
catch (TimeoutException)
{
    Console.Error.WriteLine($"the unreachable route is still {await unreachable.TextContentAsync()}: taking the picture anyway");
}

await page.ScreenshotAsync(new() { Path = png, FullPage = true });
Console.WriteLine($"wrote {png}");
