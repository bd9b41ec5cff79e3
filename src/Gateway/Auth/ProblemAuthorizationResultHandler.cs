using Gateway.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth;

/// <summary>
/// The framework's challenge and forbid set 401 with <c>WWW-Authenticate</c> (and the token error) or 403,
/// with an empty body; this adds the gateway's problem body and records the auth origin.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _framework = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _framework.HandleAsync(next, context, policy, authorizeResult);
        if (authorizeResult.Succeeded || context.Response.HasStarted)
        {
            return;
        }

        var detail = authorizeResult.Forbidden
            ? "The token is valid but does not grant what this route requires."
            : "This route needs a valid bearer token; it was missing, expired or invalid (see WWW-Authenticate).";
        await GatewayAnswers.WriteAsync(context, new(context.Response.StatusCode, GatewayOrigin.Auth, detail));
    }
}
