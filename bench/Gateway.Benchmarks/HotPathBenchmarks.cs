using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using Gateway.Errors;
using Gateway.Maintenance;
using Gateway.Observability;
using Gateway.RateLimiting;
using Gateway.Store;
using Microsoft.AspNetCore.Http;

namespace Gateway.Benchmarks;

/// <summary>
/// What the gateway does for every proxied request, piece by piece. Everything here calls the product's own
/// code: public APIs directly, the two internal types (StatusLabels, RateLimitPolicy) through .NET 10
/// [UnsafeAccessor]/[UnsafeAccessorType], which binds to the real member with no reflection at call time and
/// leaves src/ untouched. Only <see cref="RateLimit_EnforcerStrings_Copy"/> is a copy (of the two string
/// lines in RateLimitEnforcer.InvokeAsync), marked as such.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string StatusLabelsType = "Gateway.Observability.StatusLabels, Gateway";
    private const string RateLimitPolicyType = "Gateway.RateLimiting.RateLimitPolicy, Gateway";

    private readonly DefaultHttpContext _context = new();
    private readonly ObservabilityMetrics _metrics = new();
    private readonly MaintenanceWindow _off = new(false, ["bench"], "off", 60, null, null, "config", DateTimeOffset.UnixEpoch);
    private readonly MaintenanceWindow _onOtherRoute = new(true, ["users-api", "search"], "on", 60, null, null, "config", DateTimeOffset.UnixEpoch);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly IPAddress _client = IPAddress.Loopback;
    private object _admitAll = null!;
    private object _rejectAll = null!;
    private PartitionedRateLimiter<string> _rawLimiter = null!;
    private int _status = 200;
    private readonly Yarp.ReverseProxy.Configuration.RouteConfig _route = new() { RouteId = "bench", ClusterId = "upstream" };
    private const string RouteSeriesType = "Gateway.Observability.RouteSeries, Gateway";

    [GlobalSetup]
    public void Setup()
    {
        _context.SetOrigin(GatewayOrigin.Upstream); // first Set creates the feature dictionary; per request it is reused
        _admitAll = NewPolicy("bench", new RateLimitPolicyOptions { Kind = RateLimitKind.FixedWindow, PermitLimit = 100_000_000, Window = TimeSpan.FromSeconds(1) }, null, new RedisConnections());
        _rejectAll = NewPolicy("bench", new RateLimitPolicyOptions { Kind = RateLimitKind.FixedWindow, PermitLimit = 1, Window = TimeSpan.FromHours(1) }, null, new RedisConnections());
        _rawLimiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 100_000_000, Window = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
        // Series exist after the first request of a kind; the benchmarks measure the steady state.
        RecordResponse_RouteSeries();
        RecordResponse_AsGatewayCallsIt();
        RecordResponse_SpanOverload();
        RecordDuration_AsGatewayCallsIt();
        Sync(Acquire(_rejectAll, "ip:127.0.0.1", default)).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup() => _rawLimiter.Dispose();

    // ---- status classification (StatusLabels, internal) ----

    [Benchmark]
    public string StatusCode_Label() => StatusCodeLabel(null, _status);

    [Benchmark]
    public string StatusClass_Label() => StatusClassLabel(null, _status);

    [Benchmark]
    public string Method_Label() => MethodLabel(null, "GET");

    // ---- origin tagging (GatewayOriginExtensions, public) ----

    [Benchmark]
    public GatewayOrigin? Origin_SetThenGet()
    {
        _context.SetOrigin(GatewayOrigin.RateLimit);
        return _context.GetOrigin();
    }

    [Benchmark]
    public string Origin_ToLabel() => GatewayOrigin.NoHealthy.ToLabel();

    // ---- metric updates (ObservabilityMetrics, public; prometheus-net) ----

    /// <summary>
    /// What ResponseRecorder does now: the route's cached children (RouteSeries), found by an integer key, then
    /// Inc and Observe. Replaces the two WithLabels calls below, measured before that change.
    /// </summary>
    [Benchmark]
    public void RecordResponse_RouteSeries() =>
        Record(SeriesFor(null, _metrics, _route), 200, 0, GatewayOrigin.Upstream, 0.0012);

    /// <summary>The previous ResponseRecorder call: six strings through the params string[] overload.</summary>
    [Benchmark]
    public void RecordResponse_AsGatewayCallsIt() =>
        _metrics.Responses.WithLabels("bench", "upstream", "GET", "200", "2xx", "upstream").Inc();

    /// <summary>The same update through prometheus-net's ReadOnlySpan overload (collection expression: no array on the heap).</summary>
    [Benchmark]
    public void RecordResponse_SpanOverload() =>
        _metrics.Responses.WithLabels((ReadOnlySpan<string>)["bench", "upstream", "GET", "200", "2xx", "upstream"]).Inc();

    [Benchmark]
    public void RecordDuration_AsGatewayCallsIt() =>
        _metrics.RequestDuration.WithLabels("bench", "2xx", "upstream").Observe(0.0012);

    [Benchmark]
    public void InFlight_IncDec()
    {
        _metrics.InFlight.Inc();
        _metrics.InFlight.Dec();
    }

    // ---- maintenance decision (MaintenanceWindow, public) ----

    /// <summary>The gate's path when maintenance is off: one volatile read and a bool.</summary>
    [Benchmark]
    public bool Maintenance_Off() => _off.Enabled && _off.IsActive(_now) && _off.Covers("bench");

    /// <summary>Maintenance on for other routes: IsActive, then Covers walks the route list.</summary>
    [Benchmark]
    public bool Maintenance_OnOtherRoute() => _onOtherRoute.IsActive(_now) && _onOtherRoute.Covers("bench");

    // ---- rate-limit decision (RateLimitPolicy, internal; System.Threading.RateLimiting) ----

    [Benchmark]
    public bool RateLimit_Policy_Admit()
    {
        using var lease = Sync(Acquire(_admitAll, "ip:127.0.0.1", default));
        return lease.IsAcquired;
    }

    [Benchmark]
    public bool RateLimit_Policy_Reject()
    {
        using var lease = Sync(Acquire(_rejectAll, "ip:127.0.0.1", default));
        return lease.IsAcquired;
    }

    /// <summary>The bare library call, for comparison with the policy (whose partitioner runs on every acquire).</summary>
    [Benchmark]
    public bool RateLimit_Library_AttemptAcquire()
    {
        using var lease = _rawLimiter.AttemptAcquire("ip:127.0.0.1");
        return lease.IsAcquired;
    }

    /// <summary>COPY of RateLimitEnforcer's per-request strings: partition key "ip:"+address and the RateLimit header value.</summary>
    [Benchmark]
    public string RateLimit_EnforcerStrings_Copy()
    {
        var client = "ip:" + (_client?.ToString() ?? "unknown");
        return string.Create(CultureInfo.InvariantCulture, $"\"bench\";r={99_999_999};t={1}") + client;
    }

    /// <summary>In-memory limiters complete synchronously; no Task is made for them.</summary>
    private static RateLimitLease Sync(ValueTask<RateLimitLease> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "For")]
    [return: UnsafeAccessorType(RouteSeriesType)]
    private static extern object SeriesFor([UnsafeAccessorType(RouteSeriesType)] object? type, ObservabilityMetrics metrics, Yarp.ReverseProxy.Configuration.RouteConfig? route);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Record")]
    private static extern void Record([UnsafeAccessorType(RouteSeriesType)] object series, int status, int method, GatewayOrigin origin, double seconds);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "Code")]
    private static extern string StatusCodeLabel([UnsafeAccessorType(StatusLabelsType)] object? type, int status);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "Class")]
    private static extern string StatusClassLabel([UnsafeAccessorType(StatusLabelsType)] object? type, int status);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "Method")]
    private static extern string MethodLabel([UnsafeAccessorType(StatusLabelsType)] object? type, string method);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    [return: UnsafeAccessorType(RateLimitPolicyType)]
    private static extern object NewPolicy(string name, RateLimitPolicyOptions settings, string? redisConnectionString, RedisConnections connections);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "AcquireAsync")]
    private static extern ValueTask<RateLimitLease> Acquire([UnsafeAccessorType(RateLimitPolicyType)] object policy, string client, CancellationToken cancellationToken);
}
