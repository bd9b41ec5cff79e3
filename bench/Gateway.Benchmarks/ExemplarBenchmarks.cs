using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Gateway.Observability;
using Prometheus;

namespace Gateway.Benchmarks;

/// <summary>
/// One request-duration observation with and without trace-id exemplars (issue 19), inside a recorded span as in
/// the gateway. The product's SampledDuration (internal, through [UnsafeAccessor]) against prometheus-net's own ways:
/// an exemplar built on every observation, and its NewExemplarMinInterval (the provider still runs every time).
/// </summary>
[MemoryDiagnoser]
public class ExemplarBenchmarks
{
    private const string SampledDurationType = "Gateway.Observability.SampledDuration, Gateway";
    private static readonly Exemplar.LabelKey TraceIdKey = Exemplar.Key("trace_id");
    private static readonly Exemplar.LabelKey SpanIdKey = Exemplar.Key("span_id");

    private readonly ActivitySource _source = new("Gateway.Benchmarks.Exemplars");
    private ActivityListener _listener = null!;
    private Activity _span = null!;
    private Histogram.Child _plain = null!;
    private Histogram.Child _libraryInterval = null!;
    private object _sampled = null!;
    private object _sampledOff = null!;

    [GlobalSetup]
    public void Setup()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        _span = _source.StartActivity("request")!;

        var metrics = new ObservabilityMetrics();
        _plain = metrics.RequestDuration.WithLabels("bench", "2xx", "upstream");
        // The interval long enough that only the first observation (here, in setup) takes an exemplar: the steady state.
        _sampled = NewSampledDuration(metrics.RequestDuration.WithLabels("bench", "5xx", "timeout"), 3_600_000);
        _sampledOff = NewSampledDuration(metrics.RequestDuration.WithLabels("bench", "4xx", "auth"), 0);
        Observe(_sampled, 0.0012);

        var library = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());
        library.ExemplarBehavior = new ExemplarBehavior
        {
            DefaultExemplarProvider = static (_, _) => Exemplar.FromTraceContext(),
            NewExemplarMinInterval = TimeSpan.FromHours(1),
        };
        _libraryInterval = library.CreateHistogram("bench_duration_seconds", "bench", new HistogramConfiguration { LabelNames = ["route"] }).WithLabels("bench");
        _libraryInterval.Observe(0.0012);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _span.Dispose();
        _listener.Dispose();
        _source.Dispose();
    }

    /// <summary>No exemplar and no provider call (the explicit Exemplar.None): the floor.</summary>
    [Benchmark(Baseline = true)]
    public void Observe_NoExemplar() => _plain.Observe(0.0012, Exemplar.None);

    /// <summary>What the gateway does per request with exemplars on: a clock read and a compare between exemplars.</summary>
    [Benchmark]
    public void Observe_Sampled_BetweenExemplars() => Observe(_sampled, 0.0012);

    /// <summary>The gateway with Metrics:Exemplars false.</summary>
    [Benchmark]
    public void Observe_Sampled_Off() => Observe(_sampledOff, 0.0012);

    /// <summary>An exemplar on every observation (prometheus-net's default behaviour): what sampling avoids.</summary>
    [Benchmark]
    public void Observe_ExemplarEveryTime()
    {
        var span = Activity.Current!;
        _plain.Observe(0.0012, Exemplar.From(TraceIdKey.WithValue(span.TraceId.ToHexString()), SpanIdKey.WithValue(span.SpanId.ToHexString())));
    }

    /// <summary>prometheus-net's NewExemplarMinInterval: the default provider builds an exemplar every time, then it is dropped.</summary>
    [Benchmark]
    public void Observe_LibraryMinInterval() => _libraryInterval.Observe(0.0012);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    [return: UnsafeAccessorType(SampledDurationType)]
    private static extern object NewSampledDuration(Histogram.Child series, long intervalMs);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Observe")]
    private static extern void Observe([UnsafeAccessorType(SampledDurationType)] object series, double seconds);
}
