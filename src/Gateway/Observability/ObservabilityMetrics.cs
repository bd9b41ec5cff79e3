using System.Runtime.CompilerServices;
using Gateway.Utilities;
using Prometheus;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Observability;

/// <summary>
/// Observability's own metrics: every public response, its duration and the upstream's, and the requests and
/// upgraded connections open now. The other folders' instruments live in their own *Metrics classes.
/// </summary>
public sealed class ObservabilityMetrics
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public ObservabilityMetrics()
        : this(new MetricsRegistry(), new MetricsOptions())
    {
    }

    public ObservabilityMetrics(MetricsRegistry registry, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ExemplarIntervalMs = options.Exemplars ? Math.Max(1, (long)options.ExemplarInterval.TotalMilliseconds) : 0; // Below 1 ms is refused by the config check.
        var factory = registry.Factory;
        Responses = registry.PerRoute(factory.CreateCounter("gateway_responses_total",
            "Responses sent on the public port, by route, cluster, method, status code and class, and origin (who decided the status).",
            new CounterConfiguration { LabelNames = ["route", "cluster", "method", "code", "class", "origin"] }));
        RequestDuration = registry.PerRoute(factory.CreateHistogram("gateway_request_duration_seconds",
            "Time from request start to the end of the response at the gateway.",
            new HistogramConfiguration { LabelNames = ["route", "class", "origin"], Buckets = LatencyBuckets }));
        UpstreamDuration = registry.PerRoute(factory.CreateHistogram("gateway_upstream_duration_seconds",
            "Time spent forwarding to the upstream and streaming its answer.",
            new HistogramConfiguration { LabelNames = ["route", "cluster"], Buckets = LatencyBuckets }));
        GrpcResponses = registry.PerRoute(factory.CreateCounter("gateway_grpc_responses_total",
            "gRPC responses (content-type application/grpc*) on the public port, by route, grpc-status name (from the trailers or a trailers-only answer; missing: none arrived) and origin. A gRPC error is an HTTP 200 in gateway_responses_total.",
            new CounterConfiguration { LabelNames = ["route", "code", "origin"] }));
        ProtocolResponses = factory.CreateCounter("gateway_protocol_responses_total",
            "Responses sent on the public port, by the request's HTTP version (http/1.1, h2, other) and status class: a series of its own, so gateway_responses_total keeps its series count.",
            new CounterConfiguration { LabelNames = ["protocol", "class"] });
        AbortedResponses = registry.PerRoute(factory.CreateCounter("gateway_responses_aborted_total",
            "Responses that failed after their headers were sent (the upstream reset the stream or broke the connection mid-body; the client saw a reset, not the status): by route and the status code that was sent.",
            new CounterConfiguration { LabelNames = ["route", "code"] }));
        InFlight = factory.CreateGauge("gateway_requests_in_flight", "Public requests being handled now (an upgraded connection is not one).");
        UpgradedConnections = factory.CreateGauge("gateway_upgraded_connections",
            "Connections upgraded through the gateway (101 Switching Protocols, or 200 to an HTTP/2 extended CONNECT: WebSockets) and still open.");
        _byProtocol = new Counter.Child[ProtocolLabels.Count * 6];
        UnroutedSeries = RouteSeries.Unrouted(this);
    }

    /// <summary>Milliseconds between two exemplars of one duration series; 0: none.</summary>
    internal long ExemplarIntervalMs { get; }

    /// <summary>Series of requests that matched no route (route="none").</summary>
    internal RouteSeries UnroutedSeries { get; }

    /// <summary>Series per route, dropped with the route's config when an edit replaces it.</summary>
    internal ConditionalWeakTable<RouteConfig, RouteSeries> SeriesByRoute { get; } = new();

    private readonly Counter.Child?[] _byProtocol;

    public Counter Responses { get; }

    public Counter GrpcResponses { get; }

    public Counter ProtocolResponses { get; }

    public Counter AbortedResponses { get; }

    public Gauge UpgradedConnections { get; }

    public Histogram RequestDuration { get; }

    public Histogram UpstreamDuration { get; }

    public Gauge InFlight { get; }

    /// <summary>Counts a response by protocol and class; the 18 possible children are made once each.</summary>
    internal void RecordProtocol(int protocol, int status)
    {
        var statusClass = Math.Clamp(status, 0, 599) / 100;
        var index = (protocol * 6) + statusClass;
        (_byProtocol[index] ??= ProtocolResponses.WithLabels(ProtocolLabels.Name(protocol), StatusLabels.Class(statusClass * 100))).Inc();
    }
}
