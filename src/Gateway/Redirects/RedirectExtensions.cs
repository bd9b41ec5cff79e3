using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Redirects;

public static class RedirectExtensions
{
    public static IServiceCollection AddGatewayRedirects(this IServiceCollection services)
    {
        services.AddGatewaySection<RedirectOptions, RedirectOptionsCheck>(RedirectOptions.SectionName);
        services.AddSingleton<RedirectRules>();
        return services;
    }

    /// <summary>Before routing: a rule answers before any route is chosen.</summary>
    public static IApplicationBuilder UseGatewayRedirects(this IApplicationBuilder app) => app.UseMiddleware<RedirectMiddleware>();
}
