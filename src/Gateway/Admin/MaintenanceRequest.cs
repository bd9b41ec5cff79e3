namespace Gateway.Admin;

/// <summary>Admin API body of <c>PUT /admin/maintenance</c>; every field but <c>enabled</c> is optional.</summary>
public sealed record MaintenanceRequest(
    bool? Enabled,
    IReadOnlyList<string>? Routes,
    int? RetryAfterSeconds,
    string? Message,
    DateTimeOffset? From,
    DateTimeOffset? Until);
