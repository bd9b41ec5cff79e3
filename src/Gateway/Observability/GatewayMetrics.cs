using System.Runtime.CompilerServices;
using Prometheus;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Observability;

/// <summary>
/// The gateway's Prometheus metrics, in a registry of its own (so several gateways in one process, as in
/// the tests, keep their books apart). Labels are bounded: ids from config, status codes, fixed words.
/// </summary>
public sealed class GatewayMetrics
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    // prometheus-net's default reads the trace context for an exemplar on every increment of every metric (a pooled
    // exemplar per call); only the request-duration histogram carries them, sampled by SampledDuration.
    private static readonly ExemplarBehavior NoExemplars = new() { DefaultExemplarProvider = static (_, _) => Exemplar.None };

    public GatewayMetrics()
        : this(new MetricsOptions())
    {
    }

    public GatewayMetrics(MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ExemplarIntervalMs = options.Exemplars ? Math.Max(1, (long)options.ExemplarInterval.TotalMilliseconds) : 0; // Below 1 ms is refused by the config check.
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        factory.ExemplarBehavior = NoExemplars;
        Responses = factory.CreateCounter("gateway_responses_total",
            "Responses sent on the public port, by route, cluster, method, status code and class, and origin (who decided the status).",
            new CounterConfiguration { LabelNames = ["route", "cluster", "method", "code", "class", "origin"] });
        RequestDuration = factory.CreateHistogram("gateway_request_duration_seconds",
            "Time from request start to the end of the response at the gateway.",
            new HistogramConfiguration { LabelNames = ["route", "class", "origin"], Buckets = LatencyBuckets });
        UpstreamDuration = factory.CreateHistogram("gateway_upstream_duration_seconds",
            "Time spent forwarding to the upstream and streaming its answer.",
            new HistogramConfiguration { LabelNames = ["route", "cluster"], Buckets = LatencyBuckets });
        InFlight = factory.CreateGauge("gateway_requests_in_flight", "Public requests being handled now (an upgraded connection is not one).");
        UpgradedConnections = factory.CreateGauge("gateway_upgraded_connections",
            "Connections upgraded through the gateway (101 Switching Protocols, e.g. WebSockets) and still open.");
        MaintenanceActive = factory.CreateGauge("gateway_maintenance_active",
            "1 when the route is in maintenance now (the gateway answers 503), else 0.", new GaugeConfiguration { LabelNames = ["route"] });
        UpstreamRetries = factory.CreateCounter("gateway_upstream_retries_total",
            "Requests sent again after the connection failed before any response byte, by outcome (recovered: the retry got an answer; failed: it did not).",
            new CounterConfiguration { LabelNames = ["route", "cluster", "outcome"] });
        OverloadShed = factory.CreateCounter("gateway_overload_shed_total",
            "Requests shed with 503 overload by a concurrency limit, by the limit's scope (gateway or cluster).",
            new CounterConfiguration { LabelNames = ["route", "cluster", "scope"] });
        OverloadInUse = factory.CreateGauge("gateway_overload_permits_in_use",
            "Requests holding a permit of a concurrency limit now (scope gateway: cluster is \"all\").", new GaugeConfiguration { LabelNames = ["scope", "cluster"] });
        OverloadQueued = factory.CreateGauge("gateway_overload_queued",
            "Requests waiting in a concurrency limit's queue now.", new GaugeConfiguration { LabelNames = ["scope", "cluster"] });
        OverloadLimit = factory.CreateGauge("gateway_overload_permit_limit",
            "The permit limit in force.", new GaugeConfiguration { LabelNames = ["scope", "cluster"] });
        DestinationUnhealthy = factory.CreateGauge("gateway_destination_unhealthy",
            "1 while this check (active: the probes; passive: failures of real requests, YARP's breaker) marks the destination unhealthy, else 0.",
            new GaugeConfiguration { LabelNames = ["cluster", "destination", "check"] });
        RateLimitRejections = factory.CreateCounter("gateway_ratelimit_rejections_total",
            "Requests refused with 429 by a rate-limit policy.", new CounterConfiguration { LabelNames = ["route", "policy"] });
        DestinationHealthy = factory.CreateGauge("gateway_destination_healthy",
            "1 when the destination may receive traffic, 0 when health checks marked it unhealthy.",
            new GaugeConfiguration { LabelNames = ["cluster", "destination"] });
        ConfigReloads = factory.CreateCounter("gateway_config_reloads_total",
            "Loads of the config file, by result (the first load at start counts).", new CounterConfiguration { LabelNames = ["result"] });
        ConfigLastReloadSuccess = factory.CreateGauge("gateway_config_last_reload_success",
            "1 when the last edit of the config file was applied, 0 when it was rejected (the last good config serves).");
        ConfigLastReloadTimestamp = factory.CreateGauge("gateway_config_last_reload_timestamp_seconds",
            "Unix time of the last load attempt of the config file.");
        ConfigLastReloadRejected = factory.CreateGauge("gateway_config_last_reload_rejected_info",
            "1 while the last edit of the config file is rejected, labelled with the top-level section its first error names (a fixed set; json: the file does not parse); no series while the last load applied.",
            new GaugeConfiguration { LabelNames = ["section"] });
        CacheRequests = factory.CreateCounter("gateway_cache_requests_total",
            "Requests to routes with the shared output cache, by result: hit (200 from the cache), not_modified (304 from the cache), miss (sent upstream), bypass (a request Cache-Control: no-cache/no-store).",
            new CounterConfiguration { LabelNames = ["route", "result"] });
        UnroutedSeries = RouteSeries.Unrouted(this);
    }

    /// <summary>Milliseconds between two exemplars of one duration series; 0: none.</summary>
    internal long ExemplarIntervalMs { get; }

    /// <summary>Series of requests that matched no route (route="none").</summary>
    internal RouteSeries UnroutedSeries { get; }

    /// <summary>Series per route, dropped with the route's config when an edit replaces it.</summary>
    internal ConditionalWeakTable<RouteConfig, RouteSeries> SeriesByRoute { get; } = new();

    public CollectorRegistry Registry { get; }

    public Counter Responses { get; }

    public Counter UpstreamRetries { get; }

    public Gauge UpgradedConnections { get; }

    public Gauge DestinationUnhealthy { get; }

    public Counter OverloadShed { get; }

    public Gauge OverloadInUse { get; }

    public Gauge OverloadQueued { get; }

    public Gauge OverloadLimit { get; }

    public Histogram RequestDuration { get; }

    public Histogram UpstreamDuration { get; }

    public Gauge InFlight { get; }

    public Gauge MaintenanceActive { get; }

    public Counter RateLimitRejections { get; }

    public Gauge DestinationHealthy { get; }

    public Counter ConfigReloads { get; }

    public Counter CacheRequests { get; }

    public Gauge ConfigLastReloadSuccess { get; }

    public Gauge ConfigLastReloadTimestamp { get; }

    public Gauge ConfigLastReloadRejected { get; }
}
