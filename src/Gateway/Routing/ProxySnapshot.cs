using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

internal sealed record ProxySnapshot(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters);
