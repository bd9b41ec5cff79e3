namespace Gateway.Observability;

/// <summary>The <c>Metrics</c> section (read at start): trace-id exemplars on the request-duration histogram.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Attach trace-id exemplars to gateway_request_duration_seconds (served in the OpenMetrics format only).</summary>
    public bool Exemplars { get; init; } = true;

    /// <summary>At most one new exemplar per series in this long; observations between them build nothing.</summary>
    public TimeSpan ExemplarInterval { get; init; } = TimeSpan.FromSeconds(5);

    internal IEnumerable<string> Problems()
    {
        // Zero would mean an exemplar built on every request, the cost the interval exists to avoid; Exemplars: false turns them off.
        if (Exemplars && ExemplarInterval < TimeSpan.FromMilliseconds(1))
        {
            yield return "ExemplarInterval: must be a positive time span (hh:mm:ss); to turn exemplars off set Metrics:Exemplars to false";
        }
    }
}
