using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>The route and cluster ids of a candidate config, for checks that cross-reference them (case-insensitive, as YARP).</summary>
public static class ProxyConfigIds
{
    /// <summary>
    /// Whether the candidate has this route: a look at its one section, not a list of every route (the checks that
    /// name routes ran once per check over all 10,000 of a large config).
    /// </summary>
    public static bool IsRoute(IConfiguration candidate, string id) =>
        id.Length > 0 && !id.Contains(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal) && candidate.GetSection(ReverseProxySection.Routes).GetSection(id).Exists();

    public static HashSet<string> Clusters(IConfiguration candidate) => Keys(candidate, ReverseProxySection.Clusters);

    private static HashSet<string> Keys(IConfiguration candidate, string section) =>
        candidate.GetSection(section).GetChildren().Select(child => child.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
