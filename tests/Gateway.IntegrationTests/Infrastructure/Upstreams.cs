using Microsoft.AspNetCore.Builder;
using Samples.Chaos;
using Samples.UsersApi;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>The real sample services on loopback port 0, shared by the tests of a class.</summary>
public sealed class Upstreams : IAsyncLifetime
{
    private WebApplication? _users;
    private WebApplication? _chaos;

    public Uri UsersUrl { get; private set; } = null!;

    public Uri ChaosUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _users = UsersApiApp.Create(["--urls", "http://127.0.0.1:0"]);
        _chaos = ChaosApp.Create(["--urls", "http://127.0.0.1:0"]);
        await _users.StartAsync();
        await _chaos.StartAsync();
        UsersUrl = new Uri(_users.Urls.Single());
        ChaosUrl = new Uri(_chaos.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _users, _chaos })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }
}
