using Microsoft.AspNetCore.Builder;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>A throwaway upstream on loopback port 0 whose endpoints a test maps itself (headers the samples never send).</summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestUpstream(WebApplication app) => _app = app;

    public string Url => _app.Urls.Single();

    public static async Task<TestUpstream> StartAsync(Action<WebApplication> map)
    {
        var app = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]).Build();
        map(app);
        await app.StartAsync();
        return new TestUpstream(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
