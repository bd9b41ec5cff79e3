using Gateway.Configuration;
using Gateway.Forwarding;
using Gateway.Maintenance;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>Checks that name a route look at that route's section, with YARP's case-insensitive ids, and nothing below it.</summary>
public sealed class ProxyConfigIdsTests
{
    private static readonly IConfiguration Candidate = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ReverseProxy:Routes:users-api:ClusterId"] = "users",
        ["ReverseProxy:Routes:users-api:Match:Path"] = "/api/users/{**rest}",
        ["ReverseProxy:Clusters:users:Destinations:one:Address"] = "http://127.0.0.1:5001",
    }).Build();

    [Theory]
    [InlineData("users-api", true)]
    [InlineData("USERS-API", true)]
    [InlineData("nope", false)]
    [InlineData("", false)]
    [InlineData("users-api:ClusterId", false)] // A key below a route is not a route.
    [InlineData("users-api:Match", false)]
    public void A_route_is_an_id_directly_below_routes(string id, bool expected) =>
        Assert.Equal(expected, ProxyConfigIds.IsRoute(Candidate, id));

    [Fact]
    public void Retry_and_maintenance_checks_name_only_the_routes_that_are_missing()
    {
        var errors = new List<string>();
        var candidate = new ConfigurationBuilder().AddConfiguration(Candidate).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Retries:IdempotentRoutes:0"] = "USERS-API",
            ["Retries:IdempotentRoutes:1"] = "users-api:ClusterId",
            ["Maintenance:Routes:0"] = "users-api",
            ["Maintenance:Routes:1"] = "nope",
        }).Build();

        new RetryOptionsCheck().Check(candidate, errors);
        new MaintenanceOptionsCheck().Check(candidate, errors);

        Assert.Equal(
        [
            "Retries:IdempotentRoutes: 'users-api:ClusterId' is not a route in ReverseProxy:Routes",
            "Maintenance:Routes: 'nope' is not a route in ReverseProxy:Routes",
        ], errors);
    }
}
