using Gateway.Configuration;
using Gateway.Errors.StatusGuide;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.RateLimiting;

public static class RateLimitingExtensions
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewaySection<RateLimitingOptions, RateLimitingOptionsCheck>(RateLimitingOptions.SectionName);
        services.AddSingleton<RateLimitPolicies>();
        services.AddSingleton<RateLimitingMetrics>();
        services.AddSingleton<IStatusFactSource, RateLimitStatusFacts>();
        services.AddSingleton<IProxyConfigFilter, RoutePolicyFilter>();
        return services;
    }

    /// <summary>After authentication and authorization: a client is counted by its token's subject, and a refused token costs no quota.</summary>
    public static IApplicationBuilder UseGatewayRateLimiting(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<RateLimitingMetrics>().Register();
        return app.UseMiddleware<RateLimitEnforcer>();
    }

    public static RouteGroupBuilder MapRateLimitingAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/ratelimits", (RateLimitPolicies policies) => TypedResults.Ok(new
        {
            store = policies.Store,
            failOpen = policies.FailOpen,
            policies = policies.All.OrderBy(policy => policy.Name, StringComparer.Ordinal).Select(policy => new
            {
                name = policy.Name,
                kind = policy.Settings.Kind.ToString(),
                policy.Settings.PermitLimit,
                window = policy.Settings.Window,
                policy.Settings.SegmentsPerWindow,
                policy.Settings.TokenLimit,
                policy.Settings.TokensPerPeriod,
                replenishmentPeriod = policy.Settings.ReplenishmentPeriod,
                policy.Settings.HoldPermitWhileUpgraded,
                failOpen = policies.FailsOpen(policy),
                rateLimitPolicyHeader = policy.PolicyHeader,
            }),
        }));
        return admin;
    }

    /// <summary>Moves a route's <c>RateLimiterPolicy</c> into its metadata: our enforcer applies it, not ASP.NET's middleware.</summary>
    private sealed class RoutePolicyFilter : IProxyConfigFilter
    {
        public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => ValueTask.FromResult(cluster);

        public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
        {
            if (string.IsNullOrEmpty(route.RateLimiterPolicy))
            {
                return ValueTask.FromResult(route);
            }

            var metadata = new Dictionary<string, string>(route.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
            {
                [RateLimitEnforcer.RouteMetadataKey] = route.RateLimiterPolicy,
            };
            return ValueTask.FromResult(route with { RateLimiterPolicy = null, Metadata = metadata });
        }
    }
}
