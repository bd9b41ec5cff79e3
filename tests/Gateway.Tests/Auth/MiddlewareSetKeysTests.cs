using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using Gateway.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Auth;

/// <summary>
/// WebApplication puts UseAuthentication and UseAuthorization in front of the whole pipeline when authentication or
/// authorization services exist, unless ASP.NET Core's internal "__AuthenticationMiddlewareSet" and
/// "__AuthorizationMiddlewareSet" application properties say they are already in place. AuthExtensions sets them so
/// that its scoped steps are the only ones. These tests run a real WebApplication (loopback, port 0) and fail if the
/// framework stops honouring the keys, or stops adding the middleware on its own (then the keys can go).
/// </summary>
public sealed class MiddlewareSetKeysTests
{
    [Fact]
    public async Task Without_the_gateway_steps_webapplication_adds_both_middlewares_itself()
    {
        var counts = await RunAsync(_ => { }, token: false);

        Assert.True(counts.Authentications == 1, "WebApplication no longer adds UseAuthentication by itself: __AuthenticationMiddlewareSet may be unnecessary.");
        Assert.True(counts.Authorizations == 1, "WebApplication no longer adds UseAuthorization by itself: __AuthorizationMiddlewareSet may be unnecessary.");
    }

    [Fact]
    public async Task With_the_gateway_steps_a_request_without_a_token_meets_neither()
    {
        var counts = await RunAsync(app => app.UseGatewayAuthentication().UseGatewayAuthorization(), token: false);

        Assert.True(counts.Authentications == 0, "WebApplication ran authentication on its own: it no longer honours __AuthenticationMiddlewareSet.");
        Assert.True(counts.Authorizations == 0, "WebApplication ran authorization on its own: it no longer honours __AuthorizationMiddlewareSet.");
    }

    [Fact]
    public async Task With_the_gateway_steps_a_token_is_authenticated_once()
    {
        var counts = await RunAsync(app => app.UseGatewayAuthentication().UseGatewayAuthorization(), token: true);

        Assert.Equal(1, counts.Authentications);
    }

    private static async Task<Counts> RunAsync(Action<WebApplication> pipeline, bool token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var counts = new Counts();
        builder.Services.AddSingleton(counts);
        builder.Services.AddAuthentication(CountingHandler.Name).AddScheme<AuthenticationSchemeOptions, CountingHandler>(CountingHandler.Name, null);
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationPolicyProvider, CountingPolicyProvider>();

        await using var app = builder.Build();
        pipeline(app);
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            if (token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
            }

            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
        finally
        {
            await app.StopAsync();
        }

        return counts;
    }

    private sealed class Counts
    {
        private int _authentications;
        private int _authorizations;

        public int Authentications => _authentications;

        public int Authorizations => _authorizations;

        public void Authenticated() => Interlocked.Increment(ref _authentications);

        public void Authorized() => Interlocked.Increment(ref _authorizations);
    }

    /// <summary>Counts the authentication middleware's calls to the default scheme; never authenticates.</summary>
    private sealed class CountingHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Counts counts)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "counting";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            counts.Authenticated();
            return Task.FromResult(AuthenticateResult.NoResult());
        }
    }

    /// <summary>The authorization middleware asks for the fallback policy on every request to an endpoint without a policy.</summary>
    private sealed class CountingPolicyProvider(IOptions<AuthorizationOptions> options, Counts counts) : IAuthorizationPolicyProvider
    {
        private readonly DefaultAuthorizationPolicyProvider _inner = new(options);

        public bool AllowsCachingPolicies => false;

        public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _inner.GetDefaultPolicyAsync();

        public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) => _inner.GetPolicyAsync(policyName);

        public Task<AuthorizationPolicy?> GetFallbackPolicyAsync()
        {
            counts.Authorized();
            return _inner.GetFallbackPolicyAsync();
        }
    }
}
