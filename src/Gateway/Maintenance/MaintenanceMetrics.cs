using Gateway.Utilities;
using Prometheus;
using Yarp.ReverseProxy;

namespace Gateway.Maintenance;

/// <summary>gateway_maintenance_active{route}: read from the maintenance window just before each scrape.</summary>
internal sealed class MaintenanceMetrics(MetricsRegistry registry, IProxyStateLookup proxy, MaintenanceState maintenance)
{
    private readonly Gauge _active = registry.Factory.CreateGauge("gateway_maintenance_active",
        "1 when the route is in maintenance now (the gateway answers 503), else 0.", new GaugeConfiguration { LabelNames = ["route"] });

    public void Register() => registry.Registry.AddBeforeCollectCallback(Update);

    private void Update()
    {
        var window = maintenance.Window;
        var active = window.IsActive(maintenance.Now);
        _active.SetAll(proxy.GetRoutes().Select(route => route.Config.RouteId).Distinct(StringComparer.Ordinal)
            .Select(id => (new[] { id }, active && window.Covers(id) ? 1d : 0d)));
    }
}
