namespace Gateway.Redirects;

/// <summary>One redirect the gateway answers itself, without an upstream.</summary>
public sealed record RedirectRuleOptions
{
    /// <summary>An ASP.NET Core route pattern, for example <c>/docs/v1/{**rest}</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary>Hosts the rule applies to (empty: any).</summary>
    public List<string> Hosts { get; init; } = [];

    /// <summary>
    /// Where to: a path or an absolute (or scheme-relative) URL, a host rewrite, with the pattern's values in braces
    /// after the host, for example <c>/docs/v2/{rest}</c> or <c>https://docs.example.com/{rest}</c>. Only this text
    /// decides whether the redirect leaves the host: values are percent-encoded where they land.
    /// </summary>
    public string Destination { get; init; } = "";

    /// <summary>Moved for good (301, or 308 for other methods than GET and HEAD) or for now (302, or 307).</summary>
    public bool Permanent { get; init; }

    /// <summary>Append the request's query string to the destination (default true).</summary>
    public bool KeepQuery { get; init; } = true;
}
