using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.IntegrationTests;

/// <summary>
/// A reload rebuilds only what the edit changed (issue 28: a 10,000-route reload took seconds, most of it rebinding
/// unchanged routes and rebuilding the admin and guide endpoints at every YARP change).
/// </summary>
public sealed class ReloadRebuildTests : PerTestGateway
{
    [Fact]
    public async Task An_edit_of_one_route_keeps_the_other_routes_and_the_admin_endpoints_as_they_were()
    {
        var routes = Gateway.Services.GetRequiredService<IProxyConfigProvider>();
        var endpoints = Gateway.Services.GetRequiredService<EndpointDataSource>();
        var users = Route(routes, "users-api");
        var health = HealthEndpoint(endpoints);
        var products = ProxyEndpoint(endpoints, "products");

        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["products"]!["Timeout"] = "00:00:09");

        Assert.Equal(TimeSpan.FromSeconds(9), Route(routes, "products").Timeout);
        Assert.Same(users, Route(routes, "users-api"));
        Assert.NotSame(products, ProxyEndpoint(endpoints, "products")); // the endpoints were built again, but for these:
        Assert.Same(health, HealthEndpoint(endpoints));
        using var response = await Gateway.Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static RouteConfig Route(IProxyConfigProvider routes, string id) => routes.GetConfig().Routes.Single(route => route.RouteId == id);

    private static Endpoint ProxyEndpoint(EndpointDataSource endpoints, string routeId) =>
        endpoints.Endpoints.Single(endpoint => endpoint.Metadata.GetMetadata<RouteModel>()?.Config.RouteId == routeId);

    private static Endpoint HealthEndpoint(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>().Single(endpoint => endpoint.RoutePattern.RawText == "/healthz");
}
