namespace Gateway.Observability;

/// <summary>The <c>Tracing</c> section (applies live): which clients may continue their own trace through the gateway.</summary>
public sealed class TraceContextOptions
{
    public const string SectionName = "Tracing";

    public TraceContextTrust TrustClientTraceContext { get; init; } = TraceContextTrust.TrustedProxies;

    internal IEnumerable<string> Problems()
    {
        // The binder takes any number for an enum.
        if (!Enum.IsDefined(TrustClientTraceContext))
        {
            yield return $"TrustClientTraceContext: must be one of {string.Join(", ", Enum.GetNames<TraceContextTrust>())}";
        }
    }
}
