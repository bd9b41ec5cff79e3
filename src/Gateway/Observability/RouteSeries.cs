using System.Collections.Concurrent;
using Gateway.Errors;
using Prometheus;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Observability;

/// <summary>
/// The metric children of one route, found by an integer key, so recording a response allocates nothing and
/// hashes no label strings. A route edited in the config is a new RouteConfig and so gets a fresh cache.
/// </summary>
internal sealed class RouteSeries
{
    private static readonly string[] Origins = Enum.GetValues<GatewayOrigin>().Select(origin => origin.ToLabel()).ToArray();
    private readonly ConcurrentDictionary<int, Counter.Child> _responses = new();
    private readonly ConcurrentDictionary<int, SampledDuration> _durations = new();
    private readonly ObservabilityMetrics _metrics;
    private Histogram.Child? _upstreamDuration;
    private ConcurrentDictionary<int, Counter.Child>? _grpc;
    private ConcurrentDictionary<int, Counter.Child>? _aborted;
    private readonly string _route;
    private readonly string _cluster;

    private RouteSeries(ObservabilityMetrics metrics, string route, string cluster)
    {
        _metrics = metrics;
        _route = route;
        _cluster = cluster;
    }

    public static RouteSeries For(ObservabilityMetrics metrics, RouteConfig? route)
    {
        if (route is null)
        {
            return metrics.UnroutedSeries;
        }

        // The creating lambda captures, and a capture allocates at method entry: keep it out of the hot path.
        return metrics.SeriesByRoute.TryGetValue(route, out var series) ? series : Create(metrics, route);
    }

    private static RouteSeries Create(ObservabilityMetrics metrics, RouteConfig route) =>
        metrics.SeriesByRoute.GetValue(route, config => new RouteSeries(metrics, config.RouteId, config.ClusterId ?? "none"));

    public void RecordUpstream(double seconds) =>
        (_upstreamDuration ??= _metrics.UpstreamDuration.WithLabels(_route, _cluster)).Observe(seconds);

    /// <summary>A gRPC response by its grpc-status index (<see cref="GrpcOutcome"/>); the cache is made at a route's first gRPC response.</summary>
    public void RecordGrpc(int grpcStatus, GatewayOrigin origin)
    {
        var grpc = _grpc ?? Interlocked.CompareExchange(ref _grpc, new(), null) ?? _grpc;
        grpc.GetOrAdd((grpcStatus * Origins.Length) + (int)origin, static (_, state) => state.Series._metrics.GrpcResponses.WithLabels(
            state.Series._route, GrpcOutcome.Name(state.Status), Origins[(int)state.Origin]), (Series: this, Status: grpcStatus, Origin: origin)).Inc();
    }

    public void RecordAborted(int status)
    {
        var aborted = _aborted ?? Interlocked.CompareExchange(ref _aborted, new(), null) ?? _aborted;
        aborted.GetOrAdd(Math.Clamp(status, 0, 599), static (code, series) => series._metrics.AbortedResponses.WithLabels(series._route, StatusLabels.Code(code)), this).Inc();
    }

    public static RouteSeries Unrouted(ObservabilityMetrics metrics) => new(metrics, "none", "none");

    public void Record(int status, int method, GatewayOrigin origin, double seconds)
    {
        var code = Math.Clamp(status, 0, 599);
        var responseKey = ((code * StatusLabels.MethodCount) + method) * Origins.Length + (int)origin;
        _responses.GetOrAdd(responseKey, static (_, state) => state.Series._metrics.Responses.WithLabels(
            state.Series._route, state.Series._cluster, StatusLabels.MethodName(state.Method), StatusLabels.Code(state.Code),
            StatusLabels.Class(state.Code), Origins[(int)state.Origin]), (Series: this, Code: code, Method: method, Origin: origin)).Inc();

        var durationKey = ((code / 100) * Origins.Length) + (int)origin;
        _durations.GetOrAdd(durationKey, static (_, state) => new SampledDuration(state.Series._metrics.RequestDuration.WithLabels(
            state.Series._route, StatusLabels.Class(state.Code), Origins[(int)state.Origin]), state.Series._metrics.ExemplarIntervalMs),
            (Series: this, Code: code, Origin: origin)).Observe(seconds);
    }
}
