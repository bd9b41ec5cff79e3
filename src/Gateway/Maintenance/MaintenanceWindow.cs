namespace Gateway.Maintenance;

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
