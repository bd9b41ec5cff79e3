using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>
/// Our reading of the routes plus YARP's own validation (paths, policies, health checks), after the
/// registered config filters as YARP itself would run them, before anything applies.
/// </summary>
internal sealed class ProxyConfigCheck(IConfigValidator validator, IEnumerable<IProxyConfigFilter> filters) : IConfigCheck
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var snapshot = ProxyConfigReader.Read(candidate, errors);
        var clusters = snapshot.Clusters.ToDictionary(cluster => cluster.ClusterId, StringComparer.OrdinalIgnoreCase);
        foreach (var route in snapshot.Routes)
        {
            var filtered = route;
            foreach (var filter in filters)
            {
                filtered = filter.ConfigureRouteAsync(filtered, clusters.GetValueOrDefault(route.ClusterId ?? ""), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            AddAll(errors, $"Route '{route.RouteId}'", validator.ValidateRouteAsync(filtered));
        }

        foreach (var cluster in snapshot.Clusters)
        {
            AddAll(errors, $"Cluster '{cluster.ClusterId}'", validator.ValidateClusterAsync(cluster));
        }
    }

    // YARP's validators complete synchronously for config data; this runs on the file watcher's thread.
    private static void AddAll(ICollection<string> errors, string what, ValueTask<IList<Exception>> validation)
    {
        foreach (var problem in validation.AsTask().GetAwaiter().GetResult())
        {
            errors.Add($"{what}: {problem.Message}");
        }
    }
}
