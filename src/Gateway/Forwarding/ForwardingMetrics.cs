using Gateway.Utilities;
using Prometheus;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Forwarding;

/// <summary>Retries of failed connections, and each destination's health as YARP's checks see it (read just before each scrape).</summary>
internal sealed class ForwardingMetrics(MetricsRegistry registry)
{
    private readonly Gauge _destinationUnhealthy = registry.Factory.CreateGauge("gateway_destination_unhealthy",
        "1 while this check (active: the probes; passive: failures of real requests, YARP's breaker) marks the destination unhealthy, else 0.",
        new GaugeConfiguration { LabelNames = ["cluster", "destination", "check"] });

    private readonly Gauge _destinationHealthy = registry.Factory.CreateGauge("gateway_destination_healthy",
        "1 when the destination may receive traffic, 0 when health checks marked it unhealthy.",
        new GaugeConfiguration { LabelNames = ["cluster", "destination"] });

    public Counter UpstreamRetries { get; } = registry.PerRoute(registry.Factory.CreateCounter("gateway_upstream_retries_total",
        "Requests sent again after the connection failed before any response byte, by outcome (recovered: the retry got an answer; failed: it did not).",
        new CounterConfiguration { LabelNames = ["route", "cluster", "outcome"] }));

    /// <summary>Available unless a health check (active or passive) marked it unhealthy; the status page says the same.</summary>
    internal static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;

    /// <summary>The destination gauges follow <paramref name="proxy"/>'s clusters from now on.</summary>
    public void Register(IProxyStateLookup proxy) => registry.Registry.AddBeforeCollectCallback(() =>
    {
        _destinationHealthy.SetAll(proxy.GetClusters().SelectMany(cluster => cluster.Destinations.Values.Select(destination =>
            (new[] { cluster.ClusterId, destination.DestinationId }, IsHealthy(destination) ? 1d : 0d))));
        _destinationUnhealthy.SetAll(proxy.GetClusters().SelectMany(cluster => cluster.Destinations.Values.SelectMany(destination => new[]
        {
            (new[] { cluster.ClusterId, destination.DestinationId, "active" }, destination.Health.Active == DestinationHealth.Unhealthy ? 1d : 0d),
            (new[] { cluster.ClusterId, destination.DestinationId, "passive" }, destination.Health.Passive == DestinationHealth.Unhealthy ? 1d : 0d),
        })));
    });
}
