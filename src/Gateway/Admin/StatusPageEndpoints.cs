using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Forwarding;
using Gateway.Maintenance;
using Gateway.RateLimiting;
using Gateway.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Admin;

/// <summary>
/// The built-in status page on the admin port: three embedded files (no CDN, works offline) and
/// <c>GET /admin/status</c>, read from the same counters /metrics exports (no second bookkeeping: the last five
/// minutes are successive readings of them, <see cref="ResponseHistory"/>).
/// </summary>
internal static class StatusPageEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "StatusPage/index.html", "text/html; charset=utf-8"),
        ("/status.js", "StatusPage/status.js", "text/javascript; charset=utf-8"),
        ("/status.css", "StatusPage/status.css", "text/css; charset=utf-8"),
    ];

    /// <summary>The page itself needs no key (it asks for one); everything it shows comes from keyed endpoints.</summary>
    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder adminPort)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var content = ReadResource(resource);
            adminPort.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(content, contentType);
            });
        }

        return adminPort;
    }

    public static RouteGroupBuilder MapStatusAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/routes", (IProxyStateLookup proxy, MaintenanceState maintenance, ConfigReloadStatus reloads) =>
            TypedResults.Ok(new
            {
                routes = Routes(proxy, maintenance).Select(route => route.Describe(null, null)),
                clusters = Clusters(proxy),
                lastConfigReload = reloads.Last,
                configReloads = new { applied = reloads.Applied, rejected = reloads.Rejected },
            }));

        admin.MapGet("/status", async (IProxyStateLookup proxy, MaintenanceState maintenance, ConfigReloadStatus reloads, ReplicaCounts replicas, ISharedStore store) =>
        {
            var (counts, seen, complete, history) = await replicas.ReadAsync();
            var step = ResponseHistory.Step.TotalSeconds;
            return TypedResults.Ok(new
            {
                time = maintenance.Now,
                replica = replicas.Replica,
                // The totals are the whole gateway's: every replica the store knows of (complete = false while it is away).
                replicas = new { complete, seen },
                store = new { kind = store.Kind, reachable = store.Outage is null, unreachableSince = store.Outage?.Since },
                // Since each replica started (what /metrics counts).
                totals = new { byClass = counts.ByClass, byOrigin = counts.ByOrigin, requests = counts.Requests },
                // The last five minutes in 5-second buckets, kept by the gateway: every tab and every reload shows the same.
                history = new
                {
                    stepSeconds = step,
                    from = history.From,
                    to = history.To,
                    buckets = history.Buckets.Select(bucket => new { requests = bucket.Requests, byClass = bucket.ByClass, byOrigin = bucket.ByOrigin }),
                    totals = new { byClass = history.Total.ByClass, byOrigin = history.Total.ByOrigin, requests = history.Total.Requests },
                },
                // The one rate the page shows: the newest complete bucket (the chart's last point), per second.
                rate = new
                {
                    seconds = step,
                    from = history.To - ResponseHistory.Step,
                    to = history.To,
                    perSecond = history.Newest.Requests / step,
                    byClass = PerSecond(history.Newest.ByClass, step),
                    byOrigin = PerSecond(history.Newest.ByOrigin, step),
                },
                maintenance = MaintenanceEndpoints.Describe(maintenance),
                routes = Routes(proxy, maintenance).Select(route => route.Describe(counts, history)),
                clusters = Clusters(proxy),
                lastConfigReload = reloads.Last,
                configReloads = new { applied = reloads.Applied, rejected = reloads.Rejected },
            });
        });

        admin.MapGet("/audit", async (AdminAudit audit, HttpContext context) =>
        {
            try
            {
                return Results.Ok(new { keep = AdminAudit.Keep, entries = await audit.ReadAsync() });
            }
            catch (StoreUnavailableException unavailable)
            {
                return GatewayAnswers.Result(new(StatusCodes.Status503ServiceUnavailable, GatewayOrigin.Gateway, unavailable.Message, StoreUnavailableException.RetryAfter));
            }
        });
        return admin;
    }

    private static Dictionary<string, double> PerSecond(Dictionary<string, double> counts, double seconds) =>
        counts.ToDictionary(entry => entry.Key, entry => Math.Round(entry.Value / seconds, 2), StringComparer.Ordinal);

    private static IEnumerable<RouteView> Routes(IProxyStateLookup proxy, MaintenanceState maintenance)
    {
        var window = maintenance.Window;
        var active = window.IsActive(maintenance.Now);
        var clusters = proxy.GetClusters().ToDictionary(cluster => cluster.ClusterId, StringComparer.OrdinalIgnoreCase);
        return proxy.GetRoutes()
            .OrderBy(route => route.Config.RouteId, StringComparer.Ordinal)
            .Select(route => new RouteView(route, clusters.GetValueOrDefault(route.Config.ClusterId ?? ""), active && window.Covers(route.Config.RouteId)));
    }

    private static IEnumerable<object> Clusters(IProxyStateLookup proxy) =>
        proxy.GetClusters().OrderBy(cluster => cluster.ClusterId, StringComparer.Ordinal).Select(cluster => new
        {
            id = cluster.ClusterId,
            activeHealthCheck = cluster.Model.Config.HealthCheck?.Active?.Enabled == true,
            destinations = Destinations(cluster),
        });

    private static IEnumerable<object> Destinations(ClusterState? cluster) =>
        cluster?.Destinations.Values.Select(destination => new
        {
            id = destination.DestinationId,
            address = destination.Model.Config.Address,
            health = !ForwardingMetrics.IsHealthy(destination) ? "unhealthy"
                : destination.Health.Active == DestinationHealth.Healthy ? "healthy" : "unknown",
            activeHealth = destination.Health.Active.ToString(),
            passiveHealth = destination.Health.Passive.ToString(),
        }) ?? [];

    private static byte[] ReadResource(string name)
    {
        using var stream = typeof(StatusPageEndpoints).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The status page resource {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record RouteView(RouteModel Route, ClusterState? Cluster, bool InMaintenance)
    {
        public object Describe(ResponseCounts? counts, StatusHistory? history)
        {
            var config = Route.Config;
            var (requests, errors, _) = counts?.ByRoute.GetValueOrDefault(config.RouteId) ?? new RouteCounts(0, 0);
            var (recent, over) = history?.Recent(config.RouteId) ?? (new RouteCounts(0, 0), TimeSpan.Zero);
            var destinations = Cluster?.Destinations.Values.ToList() ?? [];
            var verdict = RouteState.Judge(InMaintenance, destinations.Select(destination => destination.DestinationId).ToList(),
                destinations.Where(destination => !ForwardingMetrics.IsHealthy(destination)).Select(destination => destination.DestinationId).ToList(), recent, over);
            return new
            {
                id = config.RouteId,
                path = config.Match.Path,
                methods = config.Match.Methods,
                hosts = config.Match.Hosts,
                cluster = config.ClusterId,
                rateLimiterPolicy = config.Metadata?.GetValueOrDefault(RateLimitEnforcer.RouteMetadataKey),
                timeout = config.Timeout,
                timeoutPolicy = config.TimeoutPolicy,
                authorizationPolicy = config.AuthorizationPolicy,
                maxRequestBodySize = config.MaxRequestBodySize,
                maintenance = InMaintenance,
                destinations = Destinations(Cluster),
                // Since each replica started.
                requests = counts is null ? (double?)null : requests,
                errors = counts is null ? (double?)null : errors,
                // gRPC errors inside HTTP 200 since each replica started, by origin and code; null for a route without gRPC.
                grpc = RouteGrpcView.Describe(counts?.Grpc.GetValueOrDefault(config.RouteId)),
                // serving, degraded, failing or maintenance, and why (RouteState); null where no counts were read.
                state = history is null ? null : verdict.State,
                stateReason = history is null ? null : verdict.Reason,
                // What the state was judged on: the last minute, or 5 minutes while the minute had too few answers (maintenance's 503s left out).
                recent = history is null ? null : new { seconds = over.TotalSeconds, requests = recent.Served, errors = recent.Failed },
            };
        }
    }
}
