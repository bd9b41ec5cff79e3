namespace Gateway.Redirects;

/// <summary>The <c>Redirects</c> section: rules by name, checked in name order before any route. Applied live.</summary>
public sealed class RedirectOptions
{
    public const string SectionName = "Redirects";

    public Dictionary<string, RedirectRuleOptions> Rules { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
