using Gateway.Clients;
using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

public static class RoutingExtensions
{
    /// <summary>YARP with routes from the watched config file, and route-level <c>Timeout</c> support.</summary>
    public static IServiceCollection AddGatewayRouting(this IServiceCollection services)
    {
        // In this order: what the client sent is cleaned before the gateway writes its own headers.
        services.AddReverseProxy().DropHopByHopHeaders().DropForgeableHeaders().PropagateTraceContext();
        services.AddRequestTimeouts();
        services.TryAddSingleton<BoundRouteCache>();
        services.TryAddSingleton<ProxySnapshotHandoff>();
        services.TryAddSingleton<FileProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<FileProxyConfigProvider>());
        services.AddSingleton<IConfigChangeListener, ProxyConfigListener>();
        services.AddSingleton<IConfigCheck, ProxyConfigCheck>();
        return services;
    }

    /// <summary>
    /// Must run after <c>UseRouting</c> so route metadata (timeouts) is known. Only routes with a timeout pass through
    /// the middleware (it costs an allocation per request otherwise), unless a default policy covers all.
    /// </summary>
    public static IApplicationBuilder UseGatewayRequestTimeouts(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<RequestTimeoutOptions>>().Value;
        return app.UseForEndpointsWith(
            everyRequest: options.DefaultPolicy is not null,
            metadata => metadata.GetMetadata<RequestTimeoutAttribute>() is not null || metadata.GetMetadata<RequestTimeoutPolicy>() is not null,
            withTimeout => withTimeout.UseRequestTimeouts());
    }

    /// <summary>
    /// The public listener's fallback: a request no route takes gets <see cref="NoRouteProblem"/> (YARP alone answers an
    /// empty 404). Being a catch-all, it keeps routing from finding a 405 itself; NoRouteProblem finds it.
    /// </summary>
    public static IEndpointRouteBuilder MapNoRoute(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFallback("{*path}", context => NoRouteProblem.WriteAsync(context, GatewayListener.Public)).WithMetadata(ListenerMetadata.Public);
        return endpoints;
    }

    /// <summary>Problem bodies for routing's own 404/405 on the admin port (<see cref="AdminNoRouteMiddleware"/>).</summary>
    public static IApplicationBuilder UseAdminNoRouteProblems(this IApplicationBuilder app) => app.UseMiddleware<AdminNoRouteMiddleware>();
}
