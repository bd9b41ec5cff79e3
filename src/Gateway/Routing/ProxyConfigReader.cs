using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

internal sealed record ProxySnapshot(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters);

/// <summary>
/// Reads the <c>ReverseProxy</c> section into YARP's records, one route or cluster at a time, so an
/// error names the route, cluster or key that is wrong. Unknown keys are errors: a misspelt
/// <c>Adress</c> or <c>Timout</c> would otherwise be ignored without a word.
/// </summary>
internal static class ProxyConfigReader
{
    public const string SectionName = "ReverseProxy";
    private static readonly string[] KnownSections = ["Routes", "Clusters"];

    public static ProxySnapshot Read(IConfiguration configuration, ICollection<string> errors)
    {
        var section = configuration.GetSection(SectionName);
        foreach (var unknown in section.GetChildren().Where(child => !KnownSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"{unknown.Path}: unknown key; {SectionName} holds only Routes and Clusters");
        }

        var clusters = new List<ClusterConfig>();
        foreach (var clusterSection in section.GetSection("Clusters").GetChildren())
        {
            if (TryBind<ClusterConfig>(clusterSection, $"Cluster '{clusterSection.Key}'", errors) is { } cluster)
            {
                clusters.Add(cluster with { ClusterId = clusterSection.Key });
                CheckDestinations(clusterSection.Key, cluster, errors);
            }
        }

        var clusterIds = clusters.Select(cluster => cluster.ClusterId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var routes = new List<RouteConfig>();
        foreach (var routeSection in section.GetSection("Routes").GetChildren())
        {
            if (TryBind<RouteConfig>(routeSection, $"Route '{routeSection.Key}'", errors) is { } route)
            {
                routes.Add(route with { RouteId = routeSection.Key });
                CheckClusterReference(routeSection.Key, route, clusterIds, errors);
            }
        }

        return new ProxySnapshot(routes, clusters);
    }

    private static T? TryBind<T>(IConfigurationSection section, string what, ICollection<string> errors)
        where T : class, new()
    {
        try
        {
            return section.Get<T>(options => options.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key path for bad values and the type for unknown keys.
            var cause = ex.InnerException is null ? "" : $" ({ex.InnerException.Message})";
            errors.Add($"{what}: {ex.Message}{cause}");
            return null;
        }
    }

    private static void CheckClusterReference(string routeId, RouteConfig route, HashSet<string> clusterIds, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(route.ClusterId))
        {
            errors.Add($"Route '{routeId}': ClusterId is missing");
        }
        else if (!clusterIds.Contains(route.ClusterId))
        {
            errors.Add($"Route '{routeId}': ClusterId '{route.ClusterId}' is not a cluster in {SectionName}:Clusters (known: {string.Join(", ", clusterIds.Order(StringComparer.Ordinal))})");
        }
    }

    private static void CheckDestinations(string clusterId, ClusterConfig cluster, ICollection<string> errors)
    {
        foreach (var (destinationId, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var address)
                || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"Cluster '{clusterId}', destination '{destinationId}': Address '{destination.Address}' is not an absolute http:// or https:// URL");
            }
        }
    }
}
