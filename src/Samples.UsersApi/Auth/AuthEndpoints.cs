using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Samples.UsersApi.Auth;

internal sealed record LoginRequest(string? Username, string? Password);

internal sealed record LoginResponse(string Token);

internal sealed record Profile(string? Username, string? Role);

internal static class AuthEndpoints
{
    public static void MapAuthEndpoints(this WebApplication app)
    {
        // Only POST is mapped, so routing answers other methods with 405 and an Allow header.
        app.MapPost("/api/login", Login);
        app.MapGet("/api/profile", (ClaimsPrincipal user) => new Profile(
            user.FindFirstValue(JwtRegisteredClaimNames.Sub), user.FindFirstValue(JwtAuthentication.RoleClaim)))
            .RequireAuthorization();
    }

    private static IResult Login(LoginRequest request, TokenIssuer issuer, HttpContext context)
    {
        var account = DemoAccount.SignIn(request.Username, request.Password);
        if (account is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Invalid credentials",
                detail: "Unknown username or wrong password.");
        }

        return TypedResults.Ok(new LoginResponse(issuer.Issue(account)));
    }
}
