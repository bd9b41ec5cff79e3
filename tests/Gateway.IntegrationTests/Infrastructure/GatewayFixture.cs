namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>Upstreams plus one gateway on a copy of the root config, shared by a test class that does not edit config.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private TestConfig? _config;

    public Upstreams Upstreams { get; } = new();

    public GatewayInstance Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Upstreams.InitializeAsync();
        _config = TestConfig.FromRoot(Upstreams);
        Gateway = await GatewayInstance.StartAsync(_config.Path);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Upstreams.DisposeAsync();
        _config?.Dispose();
    }
}
