using Gateway.Utilities;
using Prometheus;

namespace Gateway.RateLimiting;

/// <summary>
/// Requests refused with 429, and gateway_ratelimit_partitions{policy}: the client partitions each policy holds, read at
/// scrape time. Every client (token subject, configured key, address) costs one while it is active; a count that only
/// grows means clients that never go idle, not a leak: idle partitions are disposed by the framework.
/// </summary>
internal sealed class RateLimitingMetrics(MetricsRegistry registry, RateLimitPolicies policies)
{
    private readonly Gauge _partitions = registry.Factory.CreateGauge("gateway_ratelimit_partitions",
        "Client partitions (one per client that used the policy lately) a rate-limit policy holds in this gateway's memory now; idle ones are dropped after about 10 s.",
        new GaugeConfiguration { LabelNames = ["policy"] });

    public Counter Rejections { get; } = registry.PerRoute(registry.Factory.CreateCounter("gateway_ratelimit_rejections_total",
        "Requests refused with 429 by a rate-limit policy.", new CounterConfiguration { LabelNames = ["route", "policy"] }));

    public void Register() => registry.Registry.AddBeforeCollectCallback(Update);

    private void Update()
    {
        var current = policies.All.ToList();
        foreach (var stale in _partitions.GetAllLabelValues().Where(labels => !current.Exists(policy => policy.Name == labels[0])).ToList())
        {
            _partitions.RemoveLabelled(stale);
        }

        foreach (var policy in current)
        {
            _partitions.WithLabels(policy.Name).Set(policy.Partitions);
        }
    }
}
