using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Errors;

public static class GatewayOriginExtensions
{
    private static readonly OriginFeature[] Features = Enum.GetValues<GatewayOrigin>().Select(origin => new OriginFeature(origin)).ToArray();

    /// <summary>The bounded label used in metrics and logs.</summary>
    public static string ToLabel(this GatewayOrigin origin) => origin switch
    {
        GatewayOrigin.Upstream => "upstream",
        GatewayOrigin.RateLimit => "ratelimit",
        GatewayOrigin.Maintenance => "maintenance",
        GatewayOrigin.Timeout => "timeout",
        GatewayOrigin.Unreachable => "unreachable",
        GatewayOrigin.NoHealthy => "no_healthy",
        GatewayOrigin.Auth => "auth",
        GatewayOrigin.Limits => "limits",
        GatewayOrigin.NoRoute => "no_route",
        GatewayOrigin.Client => "client",
        GatewayOrigin.Overload => "overload",
        GatewayOrigin.Redirect => "redirect",
        GatewayOrigin.Cache => "cache",
        GatewayOrigin.Admin => "admin",
        _ => "gateway",
    };

    /// <summary>Records the decider without allocating: one shared feature instance per origin.</summary>
    public static void SetOrigin(this HttpContext context, GatewayOrigin origin) =>
        context.Features.Set(Features[(int)origin]);

    /// <summary>The recorded decider, or null when nothing at the gateway decided the status.</summary>
    public static GatewayOrigin? GetOrigin(this HttpContext context) => context.Features.Get<OriginFeature>()?.Origin;

    /// <summary>The recorded decider; when nothing recorded one, a proxied answer is the upstream's and anything else the gateway's.</summary>
    public static GatewayOrigin DecidedOrigin(this HttpContext context, bool routed) =>
        context.GetOrigin() ?? (routed && context.Features.Get<IForwarderErrorFeature>() is null ? GatewayOrigin.Upstream : GatewayOrigin.Gateway);

    private sealed class OriginFeature(GatewayOrigin origin)
    {
        public GatewayOrigin Origin { get; } = origin;
    }
}
