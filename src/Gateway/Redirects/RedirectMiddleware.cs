using Gateway.Errors;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Redirects;

/// <summary>
/// The one place that answers a redirect itself (301/302/307/308, origin <c>redirect</c>): before routing, on the
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
                context.SetOrigin(GatewayOrigin.Redirect);
                context.Response.StatusCode = redirect.Status;
                context.Response.Headers.Location = redirect.Location;
                return Task.CompletedTask;
            }
        }

        return next(context);
    }
}
