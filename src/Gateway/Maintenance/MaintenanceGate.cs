using Gateway.Clients;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Maintenance;

/// <summary>The one place that answers 503 for maintenance. Only proxied routes are gated; the admin port never is.</summary>
internal sealed class MaintenanceGate(RequestDelegate next, MaintenanceState state, ClientAddress clients)
{
    public Task InvokeAsync(HttpContext context)
    {
        var window = state.Window;
        if (!window.Enabled)
        {
            return next(context);
        }

        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        var now = state.Now;
        if (route is null || !window.IsActive(now) || !window.Covers(route.Config.RouteId) || IsAllowed(context))
        {
            return next(context);
        }

        return GatewayAnswers.WriteAsync(context, new(StatusCodes.Status503ServiceUnavailable, GatewayOrigin.Maintenance, window.Message, window.RetryAfter(now)));
    }

    private bool IsAllowed(HttpContext context)
    {
        var allow = state.Allow;
        return allow.Roles.Any(context.User.IsInRole) || allow.Contains(clients.Resolve(context));
    }
}
