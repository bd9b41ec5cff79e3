using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// The bearer challenge a client gets for a rejected token: <c>error="invalid_token"</c>, and a description only
/// when the token expired (the one reason a client acts on: get a new one). The handler's other descriptions ("The
/// signature key was not found", the issuer or audience it was given) help whoever forges tokens, no honest client.
/// </summary>
internal static class TokenChallenge
{
    public static Task KeepOnlyTheExpiry(JwtBearerChallengeContext context)
    {
        if (context.Error is not null)
        {
            context.ErrorDescription = Expired(context.AuthenticateFailure) is { } expired
                ? string.Create(CultureInfo.InvariantCulture, $"The token expired at '{expired.Expires:O}'")
                : null;
        }

        return Task.CompletedTask;
    }

    private static SecurityTokenExpiredException? Expired(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException expired => expired,
        AggregateException several => several.InnerExceptions.OfType<SecurityTokenExpiredException>().FirstOrDefault(),
        _ => null,
    };
}
