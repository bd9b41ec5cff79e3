namespace Gateway.Maintenance;

/// <summary>The <c>Maintenance</c> section: the state at start and after each edit of the section.</summary>
public sealed class MaintenanceOptions
{
    public const string SectionName = "Maintenance";

    public bool Enabled { get; init; }

    /// <summary>Route ids in maintenance; empty means the whole gateway.</summary>
    public List<string> Routes { get; init; } = [];

    public string Message { get; init; } = "The service is down for maintenance.";

    /// <summary>Retry-After when no <see cref="Until"/> is set.</summary>
    public int RetryAfterSeconds { get; init; } = 300;

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? Until { get; init; }

    /// <summary>Who still gets through: JWT roles and client IPs or CIDR networks.</summary>
    public MaintenanceAllowList Allow { get; init; } = new();
}
