namespace Gateway.Configuration;

/// <summary>YARP's section and the key paths of its routes and clusters, spelled once for every check that names them.</summary>
public static class ReverseProxySection
{
    public const string Name = "ReverseProxy";
    public const string Routes = $"{Name}:Routes";
    public const string Clusters = $"{Name}:Clusters";
}
