namespace Gateway.Observability;

/// <summary>The <c>AccessLog</c> section: which responses get a line.</summary>
public sealed class AccessLogOptions
{
    public const string SectionName = "AccessLog";

    public bool Enabled { get; init; } = true;

    /// <summary>Only responses with at least this status (for example 400: errors only).</summary>
    public int MinStatus { get; init; }

    /// <summary>Share of the remaining responses logged, 0 to 1.</summary>
    public double SampleRate { get; init; } = 1;
}
