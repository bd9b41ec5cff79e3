using System.Text;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace Gateway.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// JWT bearer validation with the <c>Auth</c> section, re-read when the config file changes; tokens that passed are
    /// cached until they expire (<see cref="CachingTokenHandler"/>).
    /// </summary>
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.SectionName);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure(options => Apply(options, section.Get<AuthOptions>() ?? new AuthOptions()));
        // JwtBearer reads its options through IOptionsMonitor: this makes an edited key apply without a restart.
        services.AddSingleton<IOptionsChangeTokenSource<JwtBearerOptions>>(
            new ConfigurationChangeTokenSource<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, section));
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Authenticated, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(AuthPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole("admin"));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddGatewaySectionCheck<AuthOptions, AuthOptionsCheck>(AuthOptions.SectionName); // bound above, for JwtBearer's options
        return services;
    }

    /// <summary>
    /// Authentication first (rate limits partition by the token's subject), authorization after maintenance. A bearer
    /// token only comes in the Authorization header, so requests without one skip the handler (measured: it is one
    /// of the costs of the proxied path); a protected route still answers 401 from the authorization step.
    /// </summary>
    public static IApplicationBuilder UseGatewayAuthentication(this IApplicationBuilder app)
    {
        // WebApplication adds the middleware in front of everything unless this (ASP.NET Core's own, internal) key says it
        // is in place; the branch below sets it only on its own copy of the properties. Pinned by
        // tests/Gateway.Tests/Auth/MiddlewareSetKeysTests.cs: a framework that stops honouring the key fails there.
        app.Properties["__AuthenticationMiddlewareSet"] = true;
        return app.UseWhen(context => context.Request.Headers.ContainsKey(HeaderNames.Authorization), withToken => withToken.UseAuthentication());
    }

    /// <summary>Only endpoints that carry an authorization policy pass through the middleware, unless a fallback policy covers all.</summary>
    public static IApplicationBuilder UseGatewayAuthorization(this IApplicationBuilder app)
    {
        app.Properties["__AuthorizationMiddlewareSet"] = true; // as for authentication above, pinned by the same tests
        var options = app.ApplicationServices.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        return app.UseForEndpointsWith(
            everyRequest: options.FallbackPolicy is not null,
            metadata => metadata.GetMetadata<IAuthorizeData>() is not null
                || metadata.GetMetadata<AuthorizationPolicy>() is not null
                || metadata.GetMetadata<IAuthorizationRequirementData>() is not null,
            withPolicy => withPolicy.UseAuthorization());
    }

    private static void Apply(JwtBearerOptions options, AuthOptions settings)
    {
        // A new handler, and so an empty token cache, with each options instance: one per edit of the Auth section.
        options.TokenHandlers.Clear();
        // The system clock: the validator reads it too (TokenValidationParameters.TimeProvider is internal in IdentityModel 8).
        options.TokenHandlers.Add(new CachingTokenHandler(TimeProvider.System));
        options.MapInboundClaims = false; // after the handler is in: the setter passes it on to the handlers
        options.IncludeErrorDetails = true;
        options.Events = new JwtBearerEvents { OnChallenge = TokenChallenge.KeepOnlyTheExpiry };
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.SigningKey)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = "name",
            RoleClaimType = "role",
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }
}
