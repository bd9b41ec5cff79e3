namespace Gateway.Admin;

/// <summary>The <c>Admin</c> section. The demo keys in the root config serve only in demo mode.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>
    /// The keys by name (<c>Admin:Keys:&lt;name&gt;:Key</c>, <c>:Access</c>). The audit and the logs show the name, never
    /// the key; a name stays the same when keys are added, removed or reordered.
    /// </summary>
    public Dictionary<string, AdminKeyOptions> Keys { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many wrong keys a client address may send before the admin API refuses it for the rest of the window.</summary>
    public FailedKeyLimitOptions FailedKeyLimit { get; init; } = new();
}
