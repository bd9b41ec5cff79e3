using Gateway.Utilities;
using Prometheus;

namespace Gateway.Caching;

/// <summary>gateway_cache_requests_total{route, result}: what the shared output cache did with each request to a route that uses it.</summary>
internal sealed class CacheMetrics(MetricsRegistry registry)
{
    public Counter Requests { get; } = registry.Factory.CreateCounter("gateway_cache_requests_total",
        "Requests to routes with the shared output cache, by result: hit (200 from the cache), not_modified (304 from the cache), miss (sent upstream), bypass (a request Cache-Control: no-cache/no-store).",
        new CounterConfiguration { LabelNames = ["route", "result"] });
}
