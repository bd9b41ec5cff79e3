using System.Diagnostics;
using Prometheus;

namespace Gateway.Observability;

/// <summary>
/// One request-duration series that carries a trace-id exemplar at most once per interval. prometheus-net calls its
/// exemplar provider on every observation and only then applies NewExemplarMinInterval (a pooled Exemplar taken and
/// given back each time); here the clock is read first, and between exemplars nothing is built. An interval of 0: no exemplars.
/// </summary>
internal sealed class SampledDuration(Histogram.Child series, long intervalMs)
{
    // The names OpenTelemetry's Prometheus compatibility spec and Grafana's exemplarTraceIdDestinations use.
    private static readonly Exemplar.LabelKey TraceIdKey = Exemplar.Key("trace_id");
    private static readonly Exemplar.LabelKey SpanIdKey = Exemplar.Key("span_id");

    // Environment.TickCount64 (ms) when the next exemplar may be taken; 0: the first observation takes one.
    private long _nextExemplarAt;

    public void Observe(double seconds)
    {
        if (intervalMs > 0 && TryTakeTurn() is { } span)
        {
            series.Observe(seconds, Exemplar.From(TraceIdKey.WithValue(span.TraceId.ToHexString()), SpanIdKey.WithValue(span.SpanId.ToHexString())));
            return;
        }

        // An explicit None: prometheus-net skips its default provider (a delegate call per observation).
        series.Observe(seconds, Exemplar.None);
    }

    /// <summary>The current span when this call may record the series' next exemplar; only sampled traces (Jaeger has them).</summary>
    private Activity? TryTakeTurn()
    {
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _nextExemplarAt);
        if (now < next || Activity.Current is not { Recorded: true } span)
        {
            return null;
        }

        return Interlocked.CompareExchange(ref _nextExemplarAt, now + intervalMs, next) == next ? span : null;
    }
}
