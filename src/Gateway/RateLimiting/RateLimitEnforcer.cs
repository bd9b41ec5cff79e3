using System.Globalization;
using Gateway.Clients;
using Gateway.Errors;
using Gateway.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Yarp.ReverseProxy.Model;

namespace Gateway.RateLimiting;

/// <summary>
/// The one place that answers 429. Policies come from the live config, so adding or changing one applies
/// without a restart (ASP.NET Core's rate-limiting middleware fixes its policy names at start and hides
/// the remaining quota, which the RateLimit headers need).
/// </summary>
internal sealed partial class RateLimitEnforcer(
    RequestDelegate next, RateLimitPolicies policies, ClientAddress clients, GatewayMetrics metrics, ILogger<RateLimitEnforcer> logger)
{
    /// <summary>Route metadata key holding the route's <c>RateLimiterPolicy</c> (moved there so YARP does not look for it in ASP.NET's registry).</summary>
    public const string RouteMetadataKey = "Gateway.RateLimiterPolicy";

    public async Task InvokeAsync(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        if (route?.Config.Metadata?.TryGetValue(RouteMetadataKey, out var name) != true || !policies.TryGet(name!, out var policy))
        {
            await next(context);
            return;
        }

        var client = clients.Identify(context);
        System.Threading.RateLimiting.RateLimitLease lease;
        try
        {
            lease = await policy.AcquireAsync(client, context.RequestAborted);
        }
        catch (Exception ex) when (policy.IsShared && ex is RedisException or TimeoutException)
        {
            LogStoreDown(logger, policy.Name, policies.FailOpen ? "admitting" : "refusing", ex.Message);
            if (policies.FailOpen)
            {
                await next(context);
                return;
            }

            await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, GatewayOrigin.RateLimit,
                "The rate-limit store is unavailable and this gateway is set to refuse rather than admit unchecked.", TimeSpan.FromSeconds(1));
            return;
        }

        using (lease)
        {
            var headers = context.Response.Headers;
            headers["RateLimit-Policy"] = policy.PolicyHeader;
            headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{policy.Name}\";r={policy.Remaining(lease, client)};t={policy.ResetSeconds(lease)}");
            if (!lease.IsAcquired)
            {
                metrics.RateLimitRejections.WithLabels(route!.Config.RouteId, policy.Name).Inc();
                await GatewayProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, GatewayOrigin.RateLimit,
                    $"Too many requests for rate-limit policy '{policy.Name}'; retry after the time in Retry-After.", policy.RetryAfter(lease));
                return;
            }

            await next(context);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Rate-limit store unreachable for policy {Policy}; {Decision} requests: {Reason}")]
    private static partial void LogStoreDown(ILogger logger, string policy, string decision, string reason);
}
