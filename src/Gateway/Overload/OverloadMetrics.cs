using Gateway.Utilities;
using Prometheus;

namespace Gateway.Overload;

/// <summary>Requests shed, and each concurrency limit's permits and queue, read from the limiters just before each scrape.</summary>
internal sealed class OverloadMetrics(MetricsRegistry registry)
{
    private readonly Gauge _inUse = registry.Factory.CreateGauge("gateway_overload_permits_in_use",
        "Requests holding a permit of a concurrency limit now (scope gateway: cluster is \"all\").", new GaugeConfiguration { LabelNames = ["scope", "cluster"] });

    private readonly Gauge _queued = registry.Factory.CreateGauge("gateway_overload_queued",
        "Requests waiting in a concurrency limit's queue now.", new GaugeConfiguration { LabelNames = ["scope", "cluster"] });

    private readonly Gauge _limit = registry.Factory.CreateGauge("gateway_overload_permit_limit",
        "The permit limit in force.", new GaugeConfiguration { LabelNames = ["scope", "cluster"] });

    public Counter Shed { get; } = registry.PerRoute(registry.Factory.CreateCounter("gateway_overload_shed_total",
        "Requests shed with 503 overload by a concurrency limit, by the limit's scope (gateway or cluster).",
        new CounterConfiguration { LabelNames = ["route", "cluster", "scope"] }));

    /// <summary>The gauges follow <paramref name="limits"/> (the limits in force at each scrape) from now on.</summary>
    public void Register(Func<IEnumerable<ConcurrencyLimit>> limits) => registry.Registry.AddBeforeCollectCallback(() => Export(limits().ToList()));

    /// <summary>A limit removed from the config loses its series.</summary>
    private void Export(List<ConcurrencyLimit> current)
    {
        foreach (var gauge in new[] { _inUse, _queued, _limit })
        {
            foreach (var stale in gauge.GetAllLabelValues().Where(labels => !current.Any(limit => limit.Scope == labels[0] && (limit.Cluster ?? "all") == labels[1])).ToList())
            {
                gauge.RemoveLabelled(stale);
            }
        }

        foreach (var limit in current)
        {
            var statistics = limit.Limiter.GetStatistics();
            var labels = new[] { limit.Scope, limit.Cluster ?? "all" };
            _limit.WithLabels(labels).Set(limit.Settings.PermitLimit);
            _inUse.WithLabels(labels).Set(limit.Settings.PermitLimit - (statistics?.CurrentAvailablePermits ?? limit.Settings.PermitLimit));
            _queued.WithLabels(labels).Set(statistics?.CurrentQueuedCount ?? 0);
        }
    }
}
