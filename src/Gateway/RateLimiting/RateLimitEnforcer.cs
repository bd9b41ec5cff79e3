using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Clients;
using Gateway.Errors;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Yarp.ReverseProxy.Model;

namespace Gateway.RateLimiting;

/// <summary>
/// The one place that answers 429. Policies come from the live config, so adding or changing one applies
/// without a restart (ASP.NET Core's rate-limiting middleware fixes its policy names at start and hides
/// the remaining quota, which the RateLimit headers need). While a shared policy's Redis is away the policy decides:
/// fail open counts the client on this replica alone (the policy's limits per replica), fail closed answers 503.
/// </summary>
internal sealed partial class RateLimitEnforcer(
    RequestDelegate next, RateLimitPolicies policies, ClientAddress clients, RateLimitingMetrics metrics, ILogger<RateLimitEnforcer> logger)
{
    /// <summary>Route metadata key holding the route's <c>RateLimiterPolicy</c> (moved there so YARP does not look for it in ASP.NET's registry).</summary>
    public const string RouteMetadataKey = "Gateway.RateLimiterPolicy";

    public Task InvokeAsync(HttpContext context)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        if (route?.Config.Metadata?.TryGetValue(RouteMetadataKey, out var name) != true || !policies.TryGet(name!, out var policy))
        {
            return next(context);
        }

        var client = clients.ClientKey(context);
        ValueTask<RateLimitLease> acquiring;
        try
        {
            acquiring = policy.AcquireAsync(client, context.RequestAborted);
        }
        catch (Exception ex) when (IsStoreDown(policy, ex))
        {
            acquiring = ValueTask.FromException<RateLimitLease>(ex);
        }

        // In-memory limiters answer at once, and a lease that guards nothing while the request runs (every kind but
        // concurrency) can be released now: the common path then needs no async frame of its own.
        if (acquiring.IsCompletedSuccessfully && !policy.HoldsPermitWhileRunning)
        {
            policy.StoreAnswered();
            using var lease = acquiring.Result;
            return Refusal(context, route!, policy, client, lease, local: !policy.IsShared) ?? next(context);
        }

        return AcquireThenInvokeAsync(context, route!, policy, client, acquiring);
    }

    private async Task AcquireThenInvokeAsync(HttpContext context, RouteModel route, RateLimitPolicy policy, string client, ValueTask<RateLimitLease> acquiring)
    {
        RateLimitLease lease;
        var local = !policy.IsShared;
        try
        {
            lease = await acquiring;
            policy.StoreAnswered();
        }
        catch (Exception ex) when (IsStoreDown(policy, ex))
        {
            var failOpen = policies.FailsOpen(policy);
            if (policy.StoreWentDown())
            {
                Log.StoreDown(logger, policy.Name, failOpen ? "each client is counted on this replica alone (the policy's limits per replica)" : "its requests are refused with 503", ex.Message);
            }

            if (!failOpen)
            {
                await GatewayAnswers.WriteAsync(context, new(StatusCodes.Status503ServiceUnavailable, GatewayOrigin.RateLimit,
                    $"The rate-limit store is unavailable and policy '{policy.Name}' refuses rather than admit unchecked.", TimeSpan.FromSeconds(1)));
                return;
            }

            lease = await policy.AcquireLocallyAsync(client, context.RequestAborted);
            local = true;
        }

        // A concurrency permit goes back when the request upgrades (101): a WebSocket session does not hold it, unless
        // the policy says so (HoldPermitWhileUpgraded: then the request, and the lease, last as long as the session).
        using (policy.Settings.HoldPermitWhileUpgraded ? lease : UpgradeRelease.Guard(context, lease))
        {
            await (Refusal(context, route, policy, client, lease, local) ?? next(context));
        }
    }

    /// <summary>Sets the RateLimit headers; the 429 answer when the lease was refused, else null.</summary>
    private Task? Refusal(HttpContext context, RouteModel route, RateLimitPolicy policy, string client, RateLimitLease lease, bool local)
    {
        var headers = context.Response.Headers;
        headers["RateLimit-Policy"] = policy.PolicyHeader;
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{policy.Name}\";r={policy.Remaining(lease, client, local)};t={policy.ResetSeconds(lease)}");
        if (lease.IsAcquired)
        {
            return null;
        }

        metrics.Rejections.WithLabels(route.Config.RouteId, policy.Name).Inc();
        return GatewayAnswers.WriteAsync(context, new(StatusCodes.Status429TooManyRequests, GatewayOrigin.RateLimit,
            $"Too many requests for rate-limit policy '{policy.Name}'; retry after the time in Retry-After.", policy.RetryAfter(lease)));
    }

    private static bool IsStoreDown(RateLimitPolicy policy, Exception ex) => policy.IsShared && ex is RedisException or TimeoutException;

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.RateLimitStoreDown, Level = LogLevel.Warning, Message = "Rate-limit store unreachable for policy {Policy}; until it returns, {Decision}: {Reason}")]
        public static partial void StoreDown(ILogger logger, string policy, string decision, string reason);
    }
}
