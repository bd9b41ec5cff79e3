namespace Gateway.Admin;

/// <summary>The <c>Admin</c> section. The demo keys in the root config must be replaced for real use.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>May read and change.</summary>
    public List<string> AdminKeys { get; init; } = [];

    /// <summary>May only read.</summary>
    public List<string> ReadOnlyKeys { get; init; } = [];
}
