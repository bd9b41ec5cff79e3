namespace Gateway.Overload;

/// <summary>
/// The <c>Overload</c> section: concurrency limits that shed requests with 503 <c>overload</c> before an upstream (or
/// the gateway) takes more than it can. Applied live. Only proxied requests count; the admin port, /healthz, /metrics
/// and the guide pages are never shed.
/// </summary>
public sealed class OverloadOptions
{
    public const string SectionName = "Overload";

    /// <summary>One limit for every proxied request of this gateway (per replica); none when absent.</summary>
    public ConcurrencyLimitOptions? Gateway { get; init; }

    /// <summary>Limits by cluster id (case-insensitive); a cluster without one is limited by <see cref="Gateway"/> only.</summary>
    public Dictionary<string, ConcurrencyLimitOptions> Clusters { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
