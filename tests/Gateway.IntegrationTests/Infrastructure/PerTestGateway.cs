using System.Text.Json.Nodes;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>Base for tests that change gateway state (config edits, maintenance): a fresh gateway and config per test.</summary>
public abstract class PerTestGateway : IAsyncLifetime
{
    protected Upstreams Upstreams { get; } = new();

    protected TestConfig Config { get; private set; } = null!;

    protected GatewayInstance Gateway { get; private set; } = null!;

    protected HttpClient Client => Gateway.Public;

    /// <summary>Command-line overrides for this test class's gateway.</summary>
    protected virtual string[] GatewayArgs => [];

    /// <summary>An edit of this test class's config file before its gateway starts (routes the root config lacks).</summary>
    protected virtual Action<JsonObject>? ConfigBeforeStart => null;

    public async Task InitializeAsync()
    {
        await Upstreams.InitializeAsync();
        Config = TestConfig.FromRoot(Upstreams);
        if (ConfigBeforeStart is { } edit)
        {
            Config.Edit(edit);
        }

        Gateway = await GatewayInstance.StartAsync(Config.Path, GatewayArgs);
    }

    public virtual async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstreams.DisposeAsync();
        Config.Dispose();
    }

    protected Task<int> StatusAsync(string path, Action<HttpRequestMessage>? configure = null) => Client.StatusAsync(path, configure);
}
