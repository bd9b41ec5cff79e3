using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Overload;

public static class OverloadExtensions
{
    public static IServiceCollection AddGatewayOverload(this IServiceCollection services)
    {
        services.AddGatewaySection<OverloadOptions, OverloadOptionsCheck>(OverloadOptions.SectionName);
        services.AddSingleton<OverloadMetrics>();
        services.AddSingleton<OverloadLimits>();
        return services;
    }

    /// <summary>First in the proxy pipeline: a shed request costs the upstream nothing.</summary>
    public static IReverseProxyApplicationBuilder UseOverloadShedding(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<OverloadShedder>();
        return proxy;
    }
}
