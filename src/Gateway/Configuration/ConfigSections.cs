namespace Gateway.Configuration;

/// <summary>
/// Which top-level section of the config file a rejection's error names, as a bounded metric label: one of the
/// sections the gateway reads, "file" for a file that cannot be read (missing, a directory, too large, not UTF-8),
/// "json" for a file that does not parse, "apply" for an edit that passed the checks but failed while being applied,
/// "other" for anything else. An edit can write any text; the label can only be one of these.
/// </summary>
public sealed class ConfigSections(IEnumerable<GatewaySection> registered)
{
    public const string File = "file";
    public const string Json = "json";
    public const string Apply = "apply";
    public const string Other = "other";

    /// <summary>
    /// The sections read without an options type of the gateway's: Logging (the host's), ReverseProxy (YARP's routes
    /// and clusters, checked by Routing). Every other section is known because it was registered (AddGatewaySection).
    /// </summary>
    public static IReadOnlyList<string> Fixed { get; } = ["Logging", ReverseProxySection.Name];

    /// <summary>The top-level names of every registered section (Kestrel:Limits is Kestrel), then the fixed ones.</summary>
    public IReadOnlyList<string> Known { get; } = registered.Select(section => section.Name.Split(':')[0]).Concat(Fixed)
        .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The section of the first error: errors start with the key path, or with "Route '...'"/"Cluster '...'" (YARP's).</summary>
    public string Of(IReadOnlyList<string> errors)
    {
        if (errors.Count == 0)
        {
            return Other;
        }

        var first = errors[0];
        if (first.StartsWith(ConfigFileText.ErrorPrefix, StringComparison.Ordinal))
        {
            return File;
        }

        if (first.StartsWith(ConfigJson.ParseErrorPrefix, StringComparison.Ordinal))
        {
            return Json;
        }

        if (first.StartsWith(ConfigFileProvider.ApplyErrorPrefix, StringComparison.Ordinal))
        {
            return Apply;
        }

        if (first.StartsWith("Route '", StringComparison.Ordinal) || first.StartsWith("Cluster '", StringComparison.Ordinal))
        {
            return ReverseProxySection.Name;
        }

        var end = first.IndexOfAny([':', ' ']);
        var head = end < 0 ? first : first[..end];
        return Known.FirstOrDefault(section => string.Equals(section, head, StringComparison.OrdinalIgnoreCase)) ?? Other;
    }
}
