using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;

namespace Gateway.Forwarding;

public static class ForwardingExtensions
{
    /// <summary>YARP's <c>TransportFailureRateHealthPolicyOptions</c>: DetectionWindowSize, MinimalTotalCountThreshold, DefaultFailureRateLimit.</summary>
    public const string PassiveHealthSectionName = "PassiveHealth";

    /// <summary>Settings of retries and passive health; the 502/503/504 for failed forwards is <see cref="UpstreamFailureMiddleware"/>.</summary>
    public static IServiceCollection AddGatewayForwarding(this IServiceCollection services)
    {
        services.AddOptions<RetryOptions>().BindConfiguration(RetryOptions.SectionName);
        services.AddSingleton<ForwardingMetrics>();
        services.AddSingleton<IConfigCheck, RetryCheck>();
        // YARP's TransportFailureRate policy (the breaker): its window bounds a destination's reactivation (a
        // ReactivationPeriod shorter than DetectionWindowSize waits for the window). Read by YARP at start.
        services.AddOptions<TransportFailureRateHealthPolicyOptions>().BindConfiguration(PassiveHealthSectionName);
        services.AddSingleton<IConfigCheck, PassiveHealthCheck>();
        return services;
    }

    /// <summary>After session affinity, before load balancing: each attempt picks from the destinations not yet tried.</summary>
    public static IReverseProxyApplicationBuilder UseUpstreamRetries(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<RetryMiddleware>();
        return proxy;
    }

    /// <summary>After overload shedding, before every step that forwards: 502/503/504 for failed forwards.</summary>
    public static IReverseProxyApplicationBuilder UseUpstreamFailures(this IReverseProxyApplicationBuilder proxy)
    {
        var services = proxy.ApplicationServices;
        services.GetRequiredService<ForwardingMetrics>().Register(services.GetRequiredService<IProxyStateLookup>());
        proxy.UseMiddleware<UpstreamFailureMiddleware>();
        return proxy;
    }

    private sealed class RetryCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(RetryOptions.SectionName);
            if (SectionBinder.Bind<RetryOptions>(section, errors, section.Path) is not { } settings)
            {
                return;
            }

            if (settings.Attempts is < 0 or > 3)
            {
                errors.Add($"{section.Path}:Attempts: {settings.Attempts} must be 0 to 3");
            }

            var clusterIds = ProxyConfigIds.Clusters(candidate);
            foreach (var (id, attempts) in settings.Clusters)
            {
                if (!clusterIds.Contains(id))
                {
                    errors.Add($"{section.Path}:Clusters:{id}: '{id}' is not a cluster in ReverseProxy:Clusters");
                }
                else if (attempts is < 0 or > 3)
                {
                    errors.Add($"{section.Path}:Clusters:{id}: {attempts} must be 0 to 3");
                }
            }

            var routeIds = ProxyConfigIds.Routes(candidate);
            foreach (var route in settings.IdempotentRoutes.Where(route => !routeIds.Contains(route)))
            {
                errors.Add($"{section.Path}:IdempotentRoutes: '{route}' is not a route in ReverseProxy:Routes");
            }
        }
    }

    private sealed class PassiveHealthCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(PassiveHealthSectionName);
            if (SectionBinder.Bind<TransportFailureRateHealthPolicyOptions>(section, errors, section.Path) is not { } settings)
            {
                return;
            }

            if (settings.DetectionWindowSize <= TimeSpan.Zero)
            {
                errors.Add($"{section.Path}:DetectionWindowSize: '{settings.DetectionWindowSize}' must be more than 0");
            }

            if (settings.MinimalTotalCountThreshold < 0)
            {
                errors.Add($"{section.Path}:MinimalTotalCountThreshold: {settings.MinimalTotalCountThreshold} must be 0 or more");
            }

            if (settings.DefaultFailureRateLimit is <= 0 or > 1)
            {
                errors.Add($"{section.Path}:DefaultFailureRateLimit: {settings.DefaultFailureRateLimit} must be more than 0 and at most 1");
            }
        }
    }
}
