using Gateway.Configuration;
using Gateway.Maintenance;
using Gateway.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Yarp.ReverseProxy;

namespace Gateway.Admin;

/// <summary><c>GET /admin/routes</c>: what YARP is serving now, with policies, destination health and the last reload.</summary>
internal static class RoutesEndpoint
{
    public static RouteGroupBuilder MapRoutesAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/routes", (IProxyStateLookup proxy, MaintenanceState maintenance, ConfigReloadStatus reloads) =>
        {
            var window = maintenance.Window;
            var inMaintenance = window.IsActive(maintenance.Now);
            return TypedResults.Ok(new
            {
                routes = proxy.GetRoutes().OrderBy(route => route.Config.RouteId, StringComparer.Ordinal).Select(route => new
                {
                    id = route.Config.RouteId,
                    path = route.Config.Match.Path,
                    methods = route.Config.Match.Methods,
                    hosts = route.Config.Match.Hosts,
                    cluster = route.Config.ClusterId,
                    rateLimiterPolicy = route.Config.Metadata?.GetValueOrDefault(RateLimitEnforcer.RouteMetadataKey),
                    timeout = route.Config.Timeout,
                    timeoutPolicy = route.Config.TimeoutPolicy,
                    authorizationPolicy = route.Config.AuthorizationPolicy,
                    maxRequestBodySize = route.Config.MaxRequestBodySize,
                    maintenance = inMaintenance && window.Covers(route.Config.RouteId),
                }),
                clusters = proxy.GetClusters().OrderBy(cluster => cluster.ClusterId, StringComparer.Ordinal).Select(cluster => new
                {
                    id = cluster.ClusterId,
                    activeHealthCheck = cluster.Model.Config.HealthCheck?.Active?.Enabled == true,
                    destinations = cluster.Destinations.Values.Select(destination => new
                    {
                        id = destination.DestinationId,
                        address = destination.Model.Config.Address,
                        activeHealth = destination.Health.Active.ToString(),
                        passiveHealth = destination.Health.Passive.ToString(),
                    }),
                }),
                lastConfigReload = reloads.Last,
                configReloads = new { applied = reloads.Applied, rejected = reloads.Rejected },
            });
        });
        return admin;
    }
}
