using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Gateway.Observability;

/// <summary>
/// Head sampling by <c>Tracing:SampleRatio</c>, swapped live on a config edit. An unsampled request still gets an
/// Activity (OpenTelemetry turns a drop into propagation-only), so problems, logs and the upstream keep its trace id.
/// </summary>
internal sealed class TraceSampler : Sampler
{
    private volatile Sampler current;

    private TraceSampler(IOptionsMonitor<TraceContextOptions> options)
    {
        current = For(options.CurrentValue.SampleRatio);
        options.OnChange(changed => current = For(changed.SampleRatio));
    }

    /// <summary>A parent the gateway believed keeps its own decision; a trace the gateway starts is sampled by the ratio.</summary>
    public static Sampler ParentBased(IOptionsMonitor<TraceContextOptions> options) => new ParentBasedSampler(new TraceSampler(options));

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) => current.ShouldSample(samplingParameters);

    private static Sampler For(double ratio) => ratio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio);
}
