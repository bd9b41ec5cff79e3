using Gateway.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.Overload;

/// <summary>
/// The one place that answers 503 <c>overload</c>: first step of the proxy pipeline, so only proxied requests count and
/// nothing of a shed request (its body included) is read. The gateway-wide limit is taken first, then the cluster's;
/// the permits are held until the upstream's answer is done. Distinct from 429, which is a client over its own quota.
/// </summary>
internal sealed class OverloadShedder(RequestDelegate next, OverloadLimits limits, OverloadMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var current = limits.Current;
        var clusterId = context.GetReverseProxyFeature().Cluster.Config.ClusterId;
        var cluster = current.Clusters.Count > 0 ? current.Clusters.GetValueOrDefault(clusterId) : null;
        return current.Gateway is null && cluster is null ? next(context) : InvokeLimitedAsync(context, current.Gateway, cluster, clusterId);
    }

    private async Task InvokeLimitedAsync(HttpContext context, ConcurrencyLimit? gateway, ConcurrencyLimit? cluster, string clusterId)
    {
        // Each permit is given back when the request ends, or when it upgrades (101: the session holds none).
        using var gatewayPermit = gateway is null ? null : await gateway.AcquirePermitAsync(context);
        if (gateway is not null && gatewayPermit is null)
        {
            await ShedAsync(context, gateway, clusterId);
            return;
        }

        using var clusterPermit = cluster is null ? null : await cluster.AcquirePermitAsync(context);
        if (cluster is not null && clusterPermit is null)
        {
            await ShedAsync(context, cluster, clusterId);
            return;
        }

        await next(context);
    }

    private Task ShedAsync(HttpContext context, ConcurrencyLimit limit, string clusterId)
    {
        metrics.Shed.WithLabels(context.GetRouteModel().Config.RouteId, clusterId, limit.Scope).Inc();
        var settings = limit.Settings;
        var what = limit.Cluster is null ? "The gateway" : $"Cluster '{limit.Cluster}'";
        var queue = settings.QueueLimit > 0 ? $" and {settings.QueueLimit} waiting (for at most {settings.QueueTimeout.TotalSeconds:0.###} s)" : "";
        return GatewayAnswers.WriteAsync(context, new(StatusCodes.Status503ServiceUnavailable, GatewayOrigin.Overload,
            $"{what} has {settings.PermitLimit} requests in progress{queue}, its limit; this one was shed before reaching the upstream. Retry after the time in Retry-After.",
            TimeSpan.FromSeconds(settings.RetryAfterSeconds)));
    }
}
