using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Overload;

public static class OverloadExtensions
{
    public static IServiceCollection AddGatewayOverload(this IServiceCollection services)
    {
        services.AddOptions<OverloadOptions>().BindConfiguration(OverloadOptions.SectionName);
        services.AddSingleton<OverloadMetrics>();
        services.AddSingleton<OverloadLimits>();
        services.AddSingleton<IConfigCheck, OverloadCheck>();
        return services;
    }

    /// <summary>First in the proxy pipeline: a shed request costs the upstream nothing.</summary>
    public static IReverseProxyApplicationBuilder UseOverloadShedding(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<OverloadShedder>();
        return proxy;
    }

    private sealed class OverloadCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(OverloadOptions.SectionName);
            if (SectionBinder.Bind<OverloadOptions>(section, errors, section.Path) is not { } settings)
            {
                return;
            }

            foreach (var problem in settings.Gateway?.Problems() ?? [])
            {
                errors.Add($"{section.Path}:Gateway:{problem}");
            }

            var clusterIds = ProxyConfigIds.Clusters(candidate);
            foreach (var (id, limit) in settings.Clusters)
            {
                if (!clusterIds.Contains(id))
                {
                    errors.Add($"{section.Path}:Clusters:{id}: '{id}' is not a cluster in ReverseProxy:Clusters");
                }

                foreach (var problem in limit.Problems())
                {
                    errors.Add($"{section.Path}:Clusters:{id}:{problem}");
                }
            }
        }
    }
}
