using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Samples.UsersApi.Auth;

/// <summary>The "Auth" configuration section; the defaults match the gateway's demo configuration.</summary>
internal sealed record JwtSettings(string SigningKey, string Issuer, string Audience)
{
    public static JwtSettings FromConfiguration(IConfiguration configuration) => new(
        configuration["Auth:SigningKey"] ?? "gateway-demo-signing-key-change-me-0123456789abcdef",
        configuration["Auth:Issuer"] ?? "gateway-demo",
        configuration["Auth:Audience"] ?? "gateway-demo");

    public SymmetricSecurityKey Key => new(Encoding.UTF8.GetBytes(SigningKey));
}
