using Gateway.Configuration;
using Gateway.Store;
using Microsoft.Extensions.Configuration;

namespace Gateway.RateLimiting;

internal sealed class RateLimitingOptionsCheck() : OptionsCheck<RateLimitingOptions>(RateLimitingOptions.SectionName)
{
    protected override void Check(RateLimitingOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors)
    {
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

        foreach (var route in candidate.GetSection(ReverseProxySection.Routes).GetChildren())
        {
            if (route["RateLimiterPolicy"] is { Length: > 0 } name && !settings.Policies.ContainsKey(name))
            {
                errors.Add($"Route '{route.Key}': RateLimiterPolicy '{name}' is not a policy in {section.Path}:Policies");
            }
        }
    }
}
