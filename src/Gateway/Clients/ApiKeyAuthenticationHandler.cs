using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Clients;

/// <summary>
/// The <see cref="ApiKeys.Scheme"/> scheme behind the <c>api-key</c> route policy (as Kong's key-auth on a route): a
/// configured key authenticates its client; a missing or unknown key is challenged with 401 and a problem body saying which.
/// The framework's handler would log two Information lines per refused request (under this class's category, not
/// Microsoft.AspNetCore's): a client could write the log at will, and the access log and metrics already record the 401.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Identify(Context) is not { } client)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not a configured client key."));
        }

        var identity = new ClaimsIdentity([new Claim(ApiKeys.NameClaim, client)], Scheme.Name, ApiKeys.NameClaim, null);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    /// <summary>Writes the whole answer: the authorization step's problem writer leaves a started response alone.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeys.Header}\"";
        var detail = Presented
            ? $"The key sent in {ApiKeys.Header} is not a key this gateway knows; this route needs a configured client key."
            : $"This route needs a client key in the {ApiKeys.Header} header.";
        return GatewayAnswers.WriteAsync(Context, new(StatusCodes.Status401Unauthorized, GatewayOrigin.Auth, detail));
    }

    private bool Presented => Request.Headers[ApiKeys.Header].ToString().Length > 0;
}
