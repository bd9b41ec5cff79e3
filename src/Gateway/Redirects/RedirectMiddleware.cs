using Gateway.Errors;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Redirects;

/// <summary>
/// The one place that answers a redirect itself (301/302/307/308, origin <c>redirect</c>, so <c>Proxy-Status: gateway;
/// error=proxy_internal_response</c> from Errors/ProxyStatusMiddleware; 400 for a matched value with a control character): before routing, on the
/// public port only, so a rule wins over the route that would otherwise take the path. With no rules, one check.
/// </summary>
internal sealed class RedirectMiddleware(RequestDelegate next, RedirectRules rules)
{
    public Task InvokeAsync(HttpContext context)
    {
        var current = rules.Current;
        if (current.Length == 0 || ListenerFeature.Of(context) != GatewayListener.Public)
        {
            return next(context);
        }

        foreach (var rule in current)
        {
            if (rule.Match(context.Request) is { } redirect)
            {
                if (redirect.Location is null)
                {
                    // The rule's own refusal (origin redirect): the target is valid HTTP, only no Location can carry this value.
                    return GatewayAnswers.WriteAsync(context, new(StatusCodes.Status400BadRequest, GatewayOrigin.Redirect,
                        "A value the redirect rule takes from the path contains a control character."));
                }

                GatewayAnswers.Record(context, new(redirect.Status, GatewayOrigin.Redirect, "A redirect rule of the gateway answered."));
                context.Response.Headers.Location = redirect.Location;
                return Task.CompletedTask;
            }
        }

        return next(context);
    }
}
