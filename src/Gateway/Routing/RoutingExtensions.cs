using Gateway.Clients;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Hosting;
using Gateway.Limits;
using Gateway.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

public static class RoutingExtensions
{
    /// <summary>YARP with routes from the watched config file, and route-level <c>Timeout</c> support.</summary>
    public static IServiceCollection AddGatewayRouting(this IServiceCollection services)
    {
        services.AddReverseProxy().DropForgeableHeaders();
        services.AddRequestTimeouts();
        services.TryAddSingleton<FileProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<FileProxyConfigProvider>());
        services.AddSingleton<IConfigChangeListener, ProxyConfigListener>();
        services.AddSingleton<IConfigCheck, ProxyConfigCheck>();
        return services;
    }

    /// <summary>Must run after <c>UseRouting</c> so route metadata (timeouts) is known.</summary>
    public static IApplicationBuilder UseGatewayRouting(this IApplicationBuilder app) => app.UseRequestTimeouts();

    /// <summary>The proxied routes, public listener only, with upstream failures turned into gateway problems.</summary>
    public static IEndpointRouteBuilder MapGatewayRoutes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.UseUpstreamFailures();
            proxy.UseRequestBodyLimit();
            proxy.UseUpstreamTiming();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        }).WithMetadata(ListenerMetadata.Public);
        return endpoints;
    }
}
