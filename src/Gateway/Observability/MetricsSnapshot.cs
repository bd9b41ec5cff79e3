using Gateway.Configuration;
using Gateway.Maintenance;
using Prometheus;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Observability;

/// <summary>Gauges read from live state just before each scrape: nothing is kept twice, and removed routes disappear.</summary>
internal sealed class MetricsSnapshot(GatewayMetrics metrics, IProxyStateLookup proxy, MaintenanceState maintenance, ConfigReloadStatus reloads)
{
    public void Register() => metrics.Registry.AddBeforeCollectCallback(Update);

    private void Update()
    {
        var window = maintenance.Window;
        var active = window.IsActive(maintenance.Now);
        var routeIds = proxy.GetRoutes().Select(route => route.Config.RouteId).ToList();
        SetAll(metrics.MaintenanceActive, routeIds.Select(id => (new[] { id }, active && window.Covers(id) ? 1d : 0d)));

        SetAll(metrics.DestinationHealthy, proxy.GetClusters().SelectMany(cluster => cluster.Destinations.Values.Select(destination =>
            (new[] { cluster.ClusterId, destination.DestinationId }, IsHealthy(destination) ? 1d : 0d))));

        metrics.ConfigReloads.WithLabels("success").IncTo(reloads.Applied);
        metrics.ConfigReloads.WithLabels("failure").IncTo(reloads.Rejected);
        if (reloads.Last is { } last)
        {
            metrics.ConfigLastReloadSuccess.Set(last.Succeeded ? 1 : 0);
            metrics.ConfigLastReloadTimestamp.Set(last.At.ToUnixTimeMilliseconds() / 1000d);
        }
    }

    private static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

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
