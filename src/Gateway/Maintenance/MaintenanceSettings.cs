namespace Gateway.Maintenance;

/// <summary>The <c>Maintenance</c> section: the state at start and after each edit of the section.</summary>
public sealed class MaintenanceSettings
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

public sealed class MaintenanceAllowList
{
    public List<string> Roles { get; init; } = ["admin"];

    public List<string> ClientIps { get; init; } = [];
}

/// <summary>One maintenance decision in force; immutable so readers on the hot path need no lock.</summary>
public sealed record MaintenanceWindow(
    bool Enabled,
    IReadOnlyList<string> Routes,
    string Message,
    int RetryAfterSeconds,
    DateTimeOffset? From,
    DateTimeOffset? Until,
    string Source,
    DateTimeOffset ChangedAt)
{
    public bool IsActive(DateTimeOffset now) =>
        Enabled && (From is null || now >= From) && (Until is null || now < Until);

    /// <summary>An index loop: Enumerable.Contains on the list boxed an enumerator per request while maintenance is on.</summary>
    public bool Covers(string? routeId)
    {
        if (Routes.Count == 0)
        {
            return true;
        }

        for (var i = 0; routeId is not null && i < Routes.Count; i++)
        {
            if (string.Equals(Routes[i], routeId, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public TimeSpan RetryAfter(DateTimeOffset now) =>
        Until is { } end ? end - now : TimeSpan.FromSeconds(RetryAfterSeconds);
}
