using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Samples.UsersApi.Auth;

internal static class JwtAuthentication
{
    public const string AdminPolicy = "admin";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";

    public static void AddJwtAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = JwtSettings.FromConfiguration(configuration);
        services.AddSingleton(settings);
        services.AddSingleton<TokenIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            // Keep the JWT claim names (sub, name, role) instead of the legacy XML-namespaced ones.
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                IssuerSigningKey = settings.Key,
                NameClaimType = NameClaim,
                RoleClaimType = RoleClaim,
            };
        });
        // JwtBearer never uses data protection, but AddAuthentication registers it and by default
        // it writes a key file under $HOME at startup; this app's keys need not outlive it.
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new InMemoryXmlRepository();
            options.XmlEncryptor = new NullXmlEncryptor();
        });
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy.RequireRole("admin"));
    }
}

/// <summary>Signs the demo's one-hour HS256 tokens.</summary>
internal sealed class TokenIssuer(JwtSettings settings, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(DemoAccount account)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, account.Username),
                new Claim(JwtAuthentication.NameClaim, account.DisplayName),
                new Claim(JwtAuthentication.RoleClaim, account.Role),
            ]),
            SigningCredentials = new SigningCredentials(settings.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
