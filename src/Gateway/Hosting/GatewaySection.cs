namespace Gateway.Hosting;

/// <summary>The <c>Gateway</c> section's keys, bound only to reject misspelt ones.</summary>
public sealed class GatewaySection
{
    public const string SectionName = "Gateway";

    public GatewayUrls Urls { get; init; } = new();

    public List<string> TrustedProxies { get; init; } = [];

    public string? ConfigFile { get; init; }
}
