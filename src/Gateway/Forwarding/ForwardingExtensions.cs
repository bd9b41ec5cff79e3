using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
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
        services.AddGatewaySection<RetryOptions, RetryOptionsCheck>(RetryOptions.SectionName);
        services.AddSingleton<ForwardingMetrics>();
        // YARP's TransportFailureRate policy (the breaker): its window bounds a destination's reactivation (a
        // ReactivationPeriod shorter than DetectionWindowSize waits for the window). Read by YARP at start.
        services.AddGatewaySection<TransportFailureRateHealthPolicyOptions, PassiveHealthOptionsCheck>(PassiveHealthSectionName);
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

    /// <summary>Inside <see cref="UseUpstreamFailures"/>, which answers the 504 when a call's grpc-timeout runs out.</summary>
    public static IReverseProxyApplicationBuilder UseGrpcDeadline(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<GrpcDeadlineMiddleware>();
        return proxy;
    }
}
