using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>Our reading of the routes plus YARP's own validation (paths, policies, health checks), before anything applies.</summary>
internal sealed class ProxyConfigCheck(IConfigValidator validator) : IConfigCheck
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var snapshot = ProxyConfigReader.Read(candidate, errors);
        foreach (var route in snapshot.Routes)
        {
            AddAll(errors, $"Route '{route.RouteId}'", validator.ValidateRouteAsync(route));
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
