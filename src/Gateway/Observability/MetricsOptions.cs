namespace Gateway.Observability;

/// <summary>The <c>Metrics</c> section (read at start): trace-id exemplars on the request-duration histogram.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Attach trace-id exemplars to gateway_request_duration_seconds (served in the OpenMetrics format only).</summary>
    public bool Exemplars { get; init; } = true;

    /// <summary>At most one new exemplar per series in this long; observations between them build nothing.</summary>
    public TimeSpan ExemplarInterval { get; init; } = TimeSpan.FromSeconds(5);
}
