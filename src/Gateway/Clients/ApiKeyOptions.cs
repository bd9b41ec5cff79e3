namespace Gateway.Clients;

/// <summary>One configured client key: <c>printf %s KEY | sha256sum</c>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The SHA-256 of the key's UTF-8 bytes, 64 hex digits (either case).</summary>
    public string Sha256 { get; init; } = "";
}
