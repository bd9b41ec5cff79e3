using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.IntegrationTests.Infrastructure;

internal static class Tokens
{
    public const string DemoKey = "gateway-demo-signing-key-change-me-0123456789abcdef";

    /// <summary>A real token from the users API's login, through the gateway.</summary>
    public static async Task<string> LoginAsync(HttpClient gateway, string user)
    {
        using var login = await gateway.PostAsJsonAsync("/api/login", new { username = user, password = user });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A token signed with the demo key but with the lifetime the test wants (for expiry).</summary>
    public static string Create(
        string subject, string role, DateTime notBefore, DateTime expires, string key = DemoKey, string issuer = "gateway-demo", string audience = "gateway-demo") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    public static void Bearer(HttpRequestMessage request, string token) =>
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
}
