using Gateway.Errors.StatusGuide;
using Yarp.ReverseProxy.Model;

namespace Gateway.RateLimiting;

/// <summary>The 429 page's facts: the route's policy, its limits, and the wait the limiter's Retry-After gives.</summary>
internal sealed class RateLimitStatusFacts(RateLimitPolicies policies) : IStatusFactSource
{
    public void AddFacts(RouteModel? route, Dictionary<string, string> facts)
    {
        if (route?.Config.Metadata?.GetValueOrDefault(RateLimitEnforcer.RouteMetadataKey) is { } policyName && policies.TryGet(policyName, out var policy))
        {
            facts["policy"] = policyName;
            facts["policyLimits"] = Limits(policy.Settings);
            facts["policyRetryAfter"] = StatusFacts.Seconds(RateLimitPolicy.FallbackWait(policy.Settings));
            return;
        }

        facts["policy"] = "(no policy)";
        facts["policyLimits"] = "(no limits known)";
        facts["policyRetryAfter"] = "1";
    }

    private static string Limits(RateLimitPolicyOptions settings) => settings.Kind switch
    {
        RateLimitKind.TokenBucket => $"{settings.TokenLimit} requests in a burst, {settings.TokensPerPeriod} more every {StatusFacts.Span(settings.ReplenishmentPeriod)}",
        RateLimitKind.Concurrency => $"{settings.PermitLimit} requests at once",
        _ => $"{settings.PermitLimit} requests per {StatusFacts.Span(settings.Window)}",
    };
}
