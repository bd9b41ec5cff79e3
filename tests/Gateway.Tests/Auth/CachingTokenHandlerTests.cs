using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Gateway.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Auth;

/// <summary>
/// The cache of validated tokens (issue 28) behind a real Kestrel host wired with AddGatewayAuth: what it keeps, for
/// how long, and that a request never sees another's identity. Edits of the Auth section: the integration AuthTests.
/// </summary>
public sealed class CachingTokenHandlerTests
{
    private const string Key = "caching-token-handler-tests-key-0123456789";
    private const string Issuer = "cache-tests";

    [Fact]
    public async Task A_repeated_token_is_validated_once_and_each_request_gets_its_own_identity()
    {
        await using var host = await Host.StartAsync();
        var token = Token(DateTime.UtcNow, DateTime.UtcNow.AddHours(1));

        // The endpoint adds a claim to its request's identity: a shared (uncloned) identity would show it next time.
        var first = await host.GetAsync(token);
        var second = await host.GetAsync(token);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.StartsWith("bob ", first.Body, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal(1, host.Cache.Count);
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_exp_plus_the_clock_skew_passes()
    {
        await using var host = await Host.StartAsync();
        // Expired 20 s ago (exp is in whole seconds): the 30 s clock skew still lets it in for about 10 s (room for a slow
        // first request on a busy machine), and it is cached.
        var expires = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 20).UtcDateTime;
        var token = Token(expires.AddMinutes(-10), expires);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(token)).Status);
        Assert.Equal(1, host.Cache.Count);

        Answer last = default;
        var deadline = expires.AddSeconds(30 + 10);
        while ((last = await host.GetAsync(token)).Status == HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the cached token was still accepted 10 s after exp + ClockSkew");
            await Task.Delay(200);
        }

        Assert.True(DateTime.UtcNow >= expires.AddSeconds(30), "refused before exp + ClockSkew");
        Assert.Equal(HttpStatusCode.Unauthorized, last.Status);
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"The token expired at '", last.Challenge, StringComparison.Ordinal);
        Assert.Equal(0, host.Cache.Count);
    }

    [Fact]
    public async Task A_cached_token_with_any_byte_changed_is_validated_afresh_and_refused()
    {
        await using var host = await Host.StartAsync();
        var token = Token(DateTime.UtcNow, DateTime.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(token)).Status);

        var payloadAt = token.IndexOf('.', StringComparison.Ordinal) + 5;
        foreach (var at in new[] { payloadAt, token.Length - 2 })
        {
            var changed = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
            var answer = await host.GetAsync(changed);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            Assert.Equal("Bearer error=\"invalid_token\"", answer.Challenge);
        }

        Assert.Equal(1, host.Cache.Count);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(token)).Status);
    }

    [Fact]
    public async Task A_failed_validation_is_never_cached()
    {
        await using var host = await Host.StartAsync();
        var now = DateTime.UtcNow;
        string[] refused =
        [
            Token(now.AddHours(-2), now.AddHours(-1)),
            Token(now, now.AddHours(1), key: new string('x', 40)),
            Token(now, now.AddHours(1), issuer: "another-issuer"),
            Token(now.AddHours(1), now.AddHours(2)),
            "not-a-jwt",
        ];
        foreach (var token in refused)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(token)).Status);
            }
        }

        Assert.Equal(0, host.Cache.Count);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_a_full_cache_still_serves()
    {
        await using var host = await Host.StartAsync(capacity: 3);
        var now = DateTime.UtcNow;
        var tokens = Enumerable.Range(0, 7).Select(i => Token(now, now.AddHours(1), subject: $"user{i}")).ToList();
        foreach (var token in tokens.Concat(tokens))
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(token)).Status);
            Assert.InRange(host.Cache.Count, 1, 3);
        }
    }

    [Fact]
    public void The_gateway_wiring_uses_the_cache_with_its_default_capacity_and_no_inbound_claim_mapping()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddGatewayAuth(Host.Configuration());
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        var handler = Assert.IsType<CachingTokenHandler>(Assert.Single(options.TokenHandlers));
        Assert.False(handler.MapInboundClaims);
        Assert.Equal(10_000, CachingTokenHandler.DefaultCapacity);
    }

    private static string Token(DateTime notBefore, DateTime expires, string key = Key, string issuer = Issuer, string subject = "bob") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Issuer,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("name", subject), new Claim("role", "user")]),
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private readonly record struct Answer(HttpStatusCode Status, string Body, string? Challenge);

    /// <summary>A loopback Kestrel host with the gateway's auth and one endpoint behind the "authenticated" policy.</summary>
    private sealed class Host(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public CachingTokenHandler Cache =>
            (CachingTokenHandler)app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers.Single();

        public static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = Key,
            ["Auth:Issuer"] = Issuer,
            ["Auth:Audience"] = Issuer,
        }).Build();

        public static async Task<Host> StartAsync(int? capacity = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddGatewayAuth(Configuration());
            if (capacity is { } bound)
            {
                builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
                {
                    options.TokenHandlers.Clear();
                    options.TokenHandlers.Add(new CachingTokenHandler(TimeProvider.System, bound) { MapInboundClaims = false });
                });
            }

            var app = builder.Build();
            app.UseRouting();
            app.UseGatewayAuthentication();
            app.UseGatewayAuthorization();
            app.MapGet("/", (HttpContext context) =>
            {
                var identity = (ClaimsIdentity)context.User.Identity!;
                identity.AddClaim(new Claim("added-by", "this request"));
                return $"{identity.FindFirst("sub")!.Value} {identity.Claims.Count()}";
            }).RequireAuthorization(AuthPolicies.Authenticated);
            await app.StartAsync();
            return new Host(app, new HttpClient { BaseAddress = new Uri(app.Urls.Single()) });
        }

        public async Task<Answer> GetAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            var challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.WwwAuthenticate);
            return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), challenge);
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
