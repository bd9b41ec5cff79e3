using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>The route and cluster ids of a candidate config, for checks that cross-reference them (case-insensitive, as YARP).</summary>
public static class ProxyConfigIds
{
    public static HashSet<string> Routes(IConfiguration candidate) => Keys(candidate, ReverseProxySection.Routes);

    public static HashSet<string> Clusters(IConfiguration candidate) => Keys(candidate, ReverseProxySection.Clusters);

    private static HashSet<string> Keys(IConfiguration candidate, string section) =>
        candidate.GetSection(section).GetChildren().Select(child => child.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
