using Gateway.Routing;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Routing;

public sealed class ProxyConfigReaderTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["ReverseProxy:Routes:users:ClusterId"] = "users",
        ["ReverseProxy:Routes:users:Match:Path"] = "/api/{**rest}",
        ["ReverseProxy:Routes:users:Timeout"] = "00:00:02",
        ["ReverseProxy:Clusters:users:Destinations:one:Address"] = "http://127.0.0.1:5001",
        ["ReverseProxy:Clusters:users:HttpRequest:ActivityTimeout"] = "00:00:30",
    };

    [Fact]
    public void A_valid_section_becomes_routes_and_clusters_with_their_ids()
    {
        var errors = new List<string>();
        var snapshot = ProxyConfigReader.Read(Config(Valid), errors);

        Assert.Empty(errors);
        var route = Assert.Single(snapshot.Routes);
        Assert.Equal("users", route.RouteId);
        Assert.Equal(TimeSpan.FromSeconds(2), route.Timeout);
        var cluster = Assert.Single(snapshot.Clusters);
        Assert.Equal("users", cluster.ClusterId);
        Assert.Equal(TimeSpan.FromSeconds(30), cluster.HttpRequest?.ActivityTimeout);
    }

    [Theory]
    [InlineData("ReverseProxy:Routes:users:ClusterId", "nope", "Route 'users': ClusterId 'nope' is not a cluster")]
    [InlineData("ReverseProxy:Routes:users:Timeout", "abc", "ReverseProxy:Routes:users:Timeout")]
    [InlineData("ReverseProxy:Routes:users:Match:Paht", "/x", "ReverseProxy:Routes:users:Match:Paht: unknown key")]
    [InlineData("ReverseProxy:Clusters:users:Destinations:one:Address", "ftp://host", "Cluster 'users', destination 'one': Address 'ftp://host'")]
    [InlineData("ReverseProxy:Clusters:users:Destinations:one:Adress", "http://x", "ReverseProxy:Clusters:users:Destinations:one:Adress: unknown key")]
    [InlineData("ReverseProxy:Route:users:ClusterId", "users", "ReverseProxy:Route: unknown key")]
    public void Each_error_names_the_route_cluster_or_key(string key, string value, string expected)
    {
        var errors = new List<string>();
        ProxyConfigReader.Read(Config(new Dictionary<string, string?>(Valid) { [key] = value }), errors);

        Assert.Contains(errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    private static IConfiguration Config(Dictionary<string, string?> data) =>
        new ConfigurationBuilder().AddInMemoryCollection(data).Build();
}
