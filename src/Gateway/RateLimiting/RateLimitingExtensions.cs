using Gateway.Configuration;
using Gateway.Errors.StatusGuide;
using Gateway.Store;
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
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName);
        services.AddSingleton<RateLimitPolicies>();
        services.AddSingleton<RateLimitingMetrics>();
        services.AddSingleton<IStatusFactSource, RateLimitStatusFacts>();
        services.AddSingleton<IProxyConfigFilter, RoutePolicyFilter>();
        services.AddSingleton<IConfigCheck, RateLimitingCheck>();
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

    private sealed class RateLimitingCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(RateLimitingOptions.SectionName);
            if (SectionBinder.Bind<RateLimitingOptions>(section, errors, section.Path) is not { } settings)
            {
                return;
            }

            if (settings.Store is not ("" or "memory" or "redis"))
            {
                errors.Add($"{section.Path}:Store: '{settings.Store}' is neither 'memory' nor 'redis' (nor empty: the gateway store's)");
            }
            else if (settings.Store == "redis" && string.IsNullOrWhiteSpace(settings.Redis.ConnectionString)
                && string.IsNullOrWhiteSpace(candidate[$"{StoreOptions.SectionName}:Redis:ConnectionString"]))
            {
                errors.Add($"{section.Path}:Redis:ConnectionString: required when Store is 'redis' and {StoreOptions.SectionName}:Redis:ConnectionString is empty");
            }
            else if (settings.Redis.ConnectionString is { Length: > 0 } connectionString && StoreExtensions.ConnectionStringProblem(connectionString) is { } problem)
            {
                errors.Add($"{section.Path}:Redis:ConnectionString: {problem}");
            }

            var shared = settings.IsShared(candidate[$"{StoreOptions.SectionName}:Redis:ConnectionString"] ?? "");
            foreach (var (name, policy) in settings.Policies)
            {
                foreach (var problem in policy.Problems())
                {
                    errors.Add($"{section.Path}:Policies:{name}: {problem}");
                }

                // RedisRateLimiting's concurrency script drops a permit 60 s after it was taken, held or not.
                if (shared && policy.HoldPermitWhileUpgraded)
                {
                    errors.Add($"{section.Path}:Policies:{name}:HoldPermitWhileUpgraded: not with the Redis rate-limit store, whose concurrency permits expire after 60 s while a session may last longer");
                }
            }

            foreach (var route in candidate.GetSection("ReverseProxy:Routes").GetChildren())
            {
                if (route["RateLimiterPolicy"] is { Length: > 0 } name && !settings.Policies.ContainsKey(name))
                {
                    errors.Add($"Route '{route.Key}': RateLimiterPolicy '{name}' is not a policy in {section.Path}:Policies");
                }
            }
        }
    }
}
