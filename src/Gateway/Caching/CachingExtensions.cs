using Gateway.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Caching;

public static class CachingExtensions
{
    /// <summary>ASP.NET Core output caching with one policy, <c>shared</c>; a route opts in with YARP's <c>"OutputCachePolicy": "shared"</c>.</summary>
    public static IServiceCollection AddGatewayCaching(this IServiceCollection services)
    {
        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<GatewayMetrics>((options, metrics) =>
            options.AddPolicy(SharedCachePolicy.Name, new SharedCachePolicy(metrics)));
        services.AddSingleton<IConfigChangeListener, CacheEviction>();
        return services;
    }

    /// <summary>After authorization and rate limiting: a hit is still authenticated and counted against the quota.</summary>
    public static IApplicationBuilder UseGatewayCaching(this IApplicationBuilder app) => app.UseOutputCache();
}
