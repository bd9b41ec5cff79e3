using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Maintenance;
using Gateway.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;

namespace Gateway.Errors.StatusGuide;

/// <summary>
/// Fills an origin's explanation with the live facts of a route: its timeout, rate-limit policy,
/// maintenance message and end, body limit, health-check interval.
/// </summary>
internal sealed partial class StatusFacts(
    IProxyStateLookup proxy,
    RateLimitPolicies policies,
    MaintenanceState maintenance,
    IOptions<KestrelServerOptions> kestrel,
    IOptions<ActiveHealthCheckMonitorOptions> healthChecks)
{
    public Dictionary<string, string> Facts(string? routeId)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["route"] = routeId ?? "(unknown route)",
            ["cluster"] = "(unknown cluster)",
            ["timeout"] = "(no timeout known)",
            ["policy"] = "(no policy)",
            ["policyLimits"] = "(no limits known)",
            ["bodyLimit"] = Bytes(kestrel.Value.Limits.MaxRequestBodySize),
            ["healthCheckInterval"] = Span(healthChecks.Value.DefaultInterval),
        };
        var window = maintenance.Window;
        var now = maintenance.Now;
        facts["maintenanceMessage"] = window.Message;
        facts["maintenanceUntil"] = window.Until?.ToString("O", CultureInfo.InvariantCulture) ?? "no end time set";
        // Two facts, not one: a route with a policy can be in maintenance too, and each page names its own wait.
        facts["maintenanceRetryAfter"] = Seconds(window.RetryAfter(now));
        facts["policyRetryAfter"] = "1";

        if (routeId is null || !proxy.TryGetRoute(routeId, out var route) || route is null)
        {
            return facts;
        }

        var config = route.Config;
        facts["cluster"] = config.ClusterId ?? facts["cluster"];
        var cluster = config.ClusterId is { } clusterId && proxy.TryGetCluster(clusterId, out var found) ? found : null;
        if ((config.Timeout ?? cluster?.Model.Config.HttpRequest?.ActivityTimeout) is { } timeout)
        {
            facts["timeout"] = Span(timeout);
        }

        if (config.MaxRequestBodySize is { } bodyLimit)
        {
            facts["bodyLimit"] = bodyLimit < 0 ? "no limit" : Bytes(bodyLimit);
        }

        if (cluster?.Model.Config.HealthCheck?.Active?.Interval is { } interval)
        {
            facts["healthCheckInterval"] = Span(interval);
        }

        if (config.Metadata?.GetValueOrDefault(RateLimitEnforcer.RouteMetadataKey) is { } policyName && policies.TryGet(policyName, out var policy))
        {
            facts["policy"] = policyName;
            facts["policyLimits"] = Limits(policy.Settings);
            facts["policyRetryAfter"] = Seconds(PolicyWait(policy.Settings));
        }

        return facts;
    }

    public static string Fill(string text, Dictionary<string, string> facts) =>
        Placeholder().Replace(text, match => facts.TryGetValue(match.Groups[1].Value, out var value) ? value : match.Value);

    private static string Limits(RateLimitPolicyOptions settings) => settings.Kind switch
    {
        RateLimitKind.TokenBucket => $"{settings.TokenLimit} requests in a burst, {settings.TokensPerPeriod} more every {Span(settings.ReplenishmentPeriod)}",
        RateLimitKind.Concurrency => $"{settings.PermitLimit} requests at once",
        _ => $"{settings.PermitLimit} requests per {Span(settings.Window)}",
    };

    /// <summary>What the limiter's Retry-After says: a token bucket's period, a sliding window's segment, a fixed window.</summary>
    private static TimeSpan PolicyWait(RateLimitPolicyOptions settings) => settings.Kind switch
    {
        RateLimitKind.TokenBucket => settings.ReplenishmentPeriod,
        RateLimitKind.SlidingWindow => settings.Window / Math.Max(1, settings.SegmentsPerWindow),
        _ => settings.Window,
    };

    private static string Span(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    // The guide's text says "{bodyLimit} bytes".
    private static string Bytes(long? bytes) => bytes is { } value ? value.ToString(CultureInfo.InvariantCulture) : "no limit";

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
