using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>The real gateway, wired as Program.cs wires it, on loopback port 0 for both listeners.</summary>
public sealed class GatewayInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayInstance(WebApplication app, LogSink logs)
    {
        _app = app;
        Logs = logs;
        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        Public = CreateClient(listeners.PublicUrl);
        Admin = CreateClient(listeners.AdminUrl);
    }

    public HttpClient Public { get; }

    public HttpClient Admin { get; }

    internal LogSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<GatewayInstance> StartAsync(string configPath, params string[] extraArgs) => StartAsync(configPath, null, extraArgs);

    /// <param name="afterUseGateway">Endpoints of a test's own, mapped after the gateway's pipeline (e.g. one that throws).</param>
    public static async Task<GatewayInstance> StartAsync(string configPath, Action<WebApplication>? afterUseGateway, params string[] extraArgs)
    {
        string[] args =
        [
            $"--Gateway:ConfigFile={configPath}",
            "--Gateway:Urls:Public=http://127.0.0.1:0",
            "--Gateway:Urls:Admin=http://127.0.0.1:0",
            // The root config's secrets are the repository's: only demo mode lets them serve.
            $"--{DemoSecrets.DemoModeKey}=true",
            .. extraArgs,
        ];
        var builder = WebApplication.CreateSlimBuilder(args);
        var logs = new LogSink();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.AddGateway();
        var app = builder.Build();
        app.UseGateway();
        afterUseGateway?.Invoke(app);
        await app.StartAsync();
        return new GatewayInstance(app, logs);
    }

    public const string AdminKey = "demo-admin-key";
    public const string ReadOnlyKey = "demo-readonly-key";

    /// <summary>Edits the config file and waits (through the admin API) until the gateway applied it; fails on a rejection.</summary>
    public async Task EditConfigAsync(TestConfig config, Action<JsonObject> edit)
    {
        var before = await ReloadCountsAsync();
        config.Edit(edit);
        await Eventually.HoldsAsync(async () =>
        {
            var now = await ReloadCountsAsync();
            Assert.Equal(before.Rejected, now.Rejected);
            return now.Applied > before.Applied;
        }, "the gateway applies the edited config");
    }

    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? key = AdminKey, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Admin-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await Admin.SendAsync(request);
    }

    /// <summary>Config loads applied and rejected so far, and the last one, from <c>/admin/routes</c>.</summary>
    public async Task<(long Applied, long Rejected, JsonElement Last)> ReloadCountsAsync()
    {
        using var response = await AdminAsync(HttpMethod.Get, "/admin/routes", ReadOnlyKey);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reloads = body.GetProperty("configReloads");
        return (reloads.GetProperty("applied").GetInt64(), reloads.GetProperty("rejected").GetInt64(), body.GetProperty("lastConfigReload").Clone());
    }

    /// <summary>The admin port's <c>/healthz</c>: its status code and JSON report.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Report)> HealthReportAsync()
    {
        using var response = await Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>A client that shows the gateway's answers as they are: no redirects followed, no decompression.</summary>
    public static HttpClient CreateClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
