namespace Gateway.Forwarding;

/// <summary>
/// The <c>Retries</c> section (YARP has none, dotnet/yarp#56): how often a request without a body whose connection
/// failed before any response byte is sent again, on another available destination when there is one. Applied live.
/// </summary>
public sealed class RetryOptions
{
    public const string SectionName = "Retries";

    /// <summary>Retries per request for every cluster (default 1; 0 turns them off).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Per cluster id (case-insensitive), overriding <see cref="Attempts"/>.</summary>
    public Dictionary<string, int> Clusters { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Routes whose PUT and DELETE may be retried too (their upstream treats them as idempotent); GET, HEAD, OPTIONS always may.</summary>
    public List<string> IdempotentRoutes { get; init; } = [];

    public int AttemptsFor(string clusterId) => Clusters.TryGetValue(clusterId, out var attempts) ? attempts : Attempts;
}
