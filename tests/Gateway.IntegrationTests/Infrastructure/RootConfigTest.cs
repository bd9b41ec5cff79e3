namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>For tests that start their own gateways: real upstreams and a copy of the root config pointed at them.</summary>
public abstract class RootConfigTest : IAsyncLifetime
{
    private readonly Upstreams _upstreams = new();

    protected TestConfig Config { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _upstreams.InitializeAsync();
        Config = TestConfig.FromRoot(_upstreams);
    }

    public async Task DisposeAsync()
    {
        await _upstreams.DisposeAsync();
        Config.Dispose();
    }
}
