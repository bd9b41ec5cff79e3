using Gateway.Configuration;
using Gateway.Maintenance;
using Prometheus;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Observability;

/// <summary>
/// Gauges read from live state just before each scrape: nothing is kept twice. Series of routes removed from the
/// config (gauges, counters and histograms alike) are dropped then too, so editing route ids cannot grow the series.
/// </summary>
internal sealed class ScrapeTimeMetrics(GatewayMetrics metrics, IProxyStateLookup proxy, MaintenanceState maintenance, ConfigReloadStatus reloads, ConfigSections sections)
{
    public void Register() => metrics.Registry.AddBeforeCollectCallback(Update);

    private void Update()
    {
        var window = maintenance.Window;
        var active = window.IsActive(maintenance.Now);
        var routeIds = proxy.GetRoutes().Select(route => route.Config.RouteId).ToHashSet(StringComparer.Ordinal);
        SetAll(metrics.MaintenanceActive, routeIds.Select(id => (new[] { id }, active && window.Covers(id) ? 1d : 0d)));
        DropRemovedRoutes(metrics.Responses, routeIds);
        DropRemovedRoutes(metrics.RequestDuration, routeIds);
        DropRemovedRoutes(metrics.UpstreamDuration, routeIds);
        DropRemovedRoutes(metrics.RateLimitRejections, routeIds);
        DropRemovedRoutes(metrics.OverloadShed, routeIds);
        DropRemovedRoutes(metrics.UpstreamRetries, routeIds);

        SetAll(metrics.DestinationHealthy, proxy.GetClusters().SelectMany(cluster => cluster.Destinations.Values.Select(destination =>
            (new[] { cluster.ClusterId, destination.DestinationId }, IsHealthy(destination) ? 1d : 0d))));
        SetAll(metrics.DestinationUnhealthy, proxy.GetClusters().SelectMany(cluster => cluster.Destinations.Values.SelectMany(destination => new[]
        {
            (new[] { cluster.ClusterId, destination.DestinationId, "active" }, destination.Health.Active == DestinationHealth.Unhealthy ? 1d : 0d),
            (new[] { cluster.ClusterId, destination.DestinationId, "passive" }, destination.Health.Passive == DestinationHealth.Unhealthy ? 1d : 0d),
        })));

        metrics.ConfigReloads.WithLabels("success").IncTo(reloads.Applied);
        metrics.ConfigReloads.WithLabels("failure").IncTo(reloads.Rejected);
        if (reloads.Last is { } last)
        {
            metrics.ConfigLastReloadSuccess.Set(last.Succeeded ? 1 : 0);
            metrics.ConfigLastReloadTimestamp.Set(last.At.ToUnixTimeMilliseconds() / 1000d);
            // The full text (which may name anything) stays in /healthz and the log; the series gets the bounded section.
            SetAll(metrics.ConfigLastReloadRejected, last.Succeeded ? [] : [([sections.Of(last.Errors)], 1d)]);
        }
    }

    /// <summary>Available unless a health check (active or passive) marked it unhealthy; the status page says the same.</summary>
    internal static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

    /// <summary>Route is the first label of every per-route metric; "none" holds the requests no route matched.</summary>
    private static void DropRemovedRoutes<TChild>(Collector<TChild> collector, HashSet<string> routeIds)
        where TChild : ChildBase
    {
        foreach (var stale in collector.GetAllLabelValues().Where(labels => labels[0] != "none" && !routeIds.Contains(labels[0])).ToList())
        {
            collector.RemoveLabelled(stale);
        }
    }

    /// <summary>Sets the current series and drops those whose route or destination left the config.</summary>
    private static void SetAll(Gauge gauge, IEnumerable<(string[] Labels, double Value)> current)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (labels, value) in current)
        {
            gauge.WithLabels(labels).Set(value);
            keep.Add(string.Join('\n', labels));
        }

        foreach (var stale in gauge.GetAllLabelValues().Where(labels => !keep.Contains(string.Join('\n', labels))).ToList())
        {
            gauge.RemoveLabelled(stale);
        }
    }
}
