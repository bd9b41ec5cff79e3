namespace Gateway.Observability;

/// <summary>The <c>Tracing</c> section (applies live): which clients may continue their own trace through the gateway,
/// and what share of the traces the gateway starts is recorded.</summary>
public sealed class TraceContextOptions
{
    public const string SectionName = "Tracing";

    public TraceContextTrust TrustClientTraceContext { get; init; } = TraceContextTrust.TrustedProxies;

    /// <summary>Head sampling of the traces the gateway starts (0 to 1); a trusted parent's sampled flag decides its own.</summary>
    public double SampleRatio { get; init; } = 1.0;

    internal IEnumerable<string> Problems()
    {
        // The binder takes any number for an enum.
        if (!Enum.IsDefined(TrustClientTraceContext))
        {
            yield return $"TrustClientTraceContext: must be one of {string.Join(", ", Enum.GetNames<TraceContextTrust>())}";
        }

        if (!(SampleRatio is >= 0 and <= 1))
        {
            yield return "SampleRatio: must be from 0 to 1";
        }
    }
}
