using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Limits;

/// <summary>
/// Protocol limits from the <c>Kestrel:Limits</c> section. Kestrel answers 408 (slow headers) and 431
/// (headers too large) itself, before any middleware, with an empty body; 413 is ours, per route.
/// </summary>
public static class LimitsExtensions
{
    public const string SectionName = "Kestrel:Limits";

    /// <summary>A plain WebApplication binds only endpoints from <c>Kestrel</c>; the limits are bound here. They apply at start.</summary>
    public static IServiceCollection AddGatewayLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<KestrelServerOptions>(options => configuration.GetSection(SectionName).Bind(options.Limits));
        services.AddGatewaySectionCheck<KestrelServerLimits, KestrelLimitsCheck>(SectionName);
        return services;
    }

    /// <summary>In the proxy pipeline: 413 for a declared body over the route's limit (<see cref="RequestBodyLimitMiddleware"/>).</summary>
    public static IReverseProxyApplicationBuilder UseRequestBodyLimit(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<RequestBodyLimitMiddleware>();
        return proxy;
    }

    /// <summary>Before routing: 400 for a control character in the request target or a header value (<see cref="RequestTargetMiddleware"/>).</summary>
    public static IApplicationBuilder UseRequestTargetCheck(this IApplicationBuilder app) => app.UseMiddleware<RequestTargetMiddleware>();
}
