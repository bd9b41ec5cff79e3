namespace Gateway.Admin;

/// <summary>One named admin key: <c>Admin:Keys:&lt;name&gt;</c>.</summary>
public sealed class AdminKeyOptions
{
    /// <summary>The secret sent in <c>X-Admin-Key</c>; at least 32 characters outside demo mode.</summary>
    public string Key { get; init; } = "";

    /// <summary>Full (read and change) or ReadOnly (GET and HEAD only).</summary>
    public AdminAccess Access { get; init; }
}
