using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>
/// Our reading of the routes plus YARP's own validation (paths, policies, health checks), after the
/// registered config filters as YARP itself would run them, before anything applies.
/// </summary>
internal sealed class ProxyConfigCheck(IConfigValidator validator, IEnumerable<IProxyConfigFilter> filters, ProxySnapshotHandoff handoff, BoundRouteCache bound) : IConfigCheck
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var readErrors = errors.Count;
        var snapshot = ProxyConfigReader.Read(candidate, errors, bound);
        if (errors.Count == readErrors)
        {
            handoff.Offer(ConfigCandidate.FileDataOf(candidate), snapshot);
        }

        var clusters = snapshot.Clusters.ToDictionary(cluster => cluster.ClusterId, StringComparer.OrdinalIgnoreCase);
        foreach (var route in snapshot.Routes)
        {
            var filtered = route;
            foreach (var filter in filters)
            {
                filtered = filter.ConfigureRouteAsync(filtered, clusters.GetValueOrDefault(route.ClusterId ?? ""), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            foreach (var problem in Problems(validator.ValidateRouteAsync(filtered)))
            {
                errors.Add($"Route '{route.RouteId}': {RouteKey(route.RouteId, problem.Message)}{problem.Message}");
            }
        }

        foreach (var cluster in snapshot.Clusters)
        {
            foreach (var problem in Problems(validator.ValidateClusterAsync(cluster)))
            {
                errors.Add($"Cluster '{cluster.ClusterId}': {problem.Message}");
            }
        }
    }

    // YARP's validators complete synchronously for config data; this runs on the file watcher's thread.
    private static IList<Exception> Problems(ValueTask<IList<Exception>> validation) => validation.AsTask().GetAwaiter().GetResult();

    /// <summary>YARP words a policy error as "Authorization policy 'x' not found"; name the key the user must fix.</summary>
    private static string RouteKey(string routeId, string message) =>
        FrameworkMessages.RoutePolicyKey(message) is { } key ? $"{ReverseProxySection.Routes}:{routeId}:{key}: " : "";
}
