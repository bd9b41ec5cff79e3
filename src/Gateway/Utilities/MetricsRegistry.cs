using Prometheus;

namespace Gateway.Utilities;

/// <summary>
/// The gateway's one Prometheus registry, made once per gateway (so several gateways in one process, as in the tests,
/// keep their books apart). Each folder makes its own instruments here, in its own *Metrics class, registered by the
/// folder's Add* method. Labels are bounded: ids from config, status codes, fixed words.
/// </summary>
public sealed class MetricsRegistry
{
    // prometheus-net's default reads the trace context for an exemplar on every increment of every metric (a pooled
    // exemplar per call); only the request-duration histogram carries them, sampled by Observability's SampledDuration.
    private static readonly ExemplarBehavior NoExemplars = new() { DefaultExemplarProvider = static (_, _) => Exemplar.None };

    private readonly Lock _gate = new();
    private Action<IReadOnlySet<string>>[] _perRoute = [];

    public MetricsRegistry()
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        Factory.ExemplarBehavior = NoExemplars;
    }

    /// <summary>What /metrics exposes, and where scrape-time callbacks go.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Makes instruments in <see cref="Registry"/>, without exemplars.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>
    /// Marks a counter whose first label is the route, so <see cref="DropRemovedRoutes"/> drops the series of a route
    /// removed from the config: editing route ids cannot grow the series.
    /// </summary>
    public Counter PerRoute(Counter counter)
    {
        Mark(counter);
        return counter;
    }

    /// <inheritdoc cref="PerRoute(Counter)"/>
    public Histogram PerRoute(Histogram histogram)
    {
        Mark(histogram);
        return histogram;
    }

    /// <inheritdoc cref="PerRoute(Counter)"/>
    public Gauge PerRoute(Gauge gauge)
    {
        Mark(gauge);
        return gauge;
    }

    /// <summary>Drops, from every per-route collector, the series of routes not in <paramref name="routeIds"/>; "none" (no route matched) stays.</summary>
    public void DropRemovedRoutes(IReadOnlySet<string> routeIds)
    {
        foreach (var drop in _perRoute)
        {
            drop(routeIds);
        }
    }

    private void Mark<TChild>(Collector<TChild> collector)
        where TChild : ChildBase
    {
        ArgumentNullException.ThrowIfNull(collector);
        lock (_gate)
        {
            _perRoute = [.. _perRoute, routeIds => Drop(collector, routeIds)];
        }
    }

    private static void Drop<TChild>(Collector<TChild> collector, IReadOnlySet<string> routeIds)
        where TChild : ChildBase
    {
        foreach (var stale in collector.GetAllLabelValues().Where(labels => labels[0] != "none" && !routeIds.Contains(labels[0])).ToList())
        {
            collector.RemoveLabelled(stale);
        }
    }
}
