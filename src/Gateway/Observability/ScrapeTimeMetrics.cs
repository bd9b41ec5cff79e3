using Gateway.Utilities;
using Yarp.ReverseProxy;

namespace Gateway.Observability;

/// <summary>
/// Just before each scrape, the series of routes removed from the config (every folder's per-route counters,
/// histograms and gauges alike) are dropped, so editing route ids cannot grow the series.
/// </summary>
internal sealed class ScrapeTimeMetrics(MetricsRegistry registry, IProxyStateLookup proxy)
{
    public void Register() => registry.Registry.AddBeforeCollectCallback(Update);

    private void Update() =>
        registry.DropRemovedRoutes(proxy.GetRoutes().Select(route => route.Config.RouteId).ToHashSet(StringComparer.Ordinal));
}
