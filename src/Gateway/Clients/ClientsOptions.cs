namespace Gateway.Clients;

/// <summary>The <c>Clients</c> section: the API keys that name a client (<c>X-Api-Key</c>); any other key names nobody.</summary>
public sealed class ClientsOptions
{
    public const string SectionName = "Clients";

    /// <summary>By client name (used in rate-limit partitions and logs): the key's SHA-256, never the key itself.</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
