using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Clients;

/// <summary>
/// Request headers a client could use to speak for someone else, removed before YARP forwards. YARP rewrites
/// X-Forwarded-* but copies other client-IP and URL-override headers as sent, so a client could tell the upstream it is
/// someone else: they are dropped unless the peer is a trusted proxy. <c>X-Gateway-*</c> is the gateway's own namespace:
/// dropped from every client, trusted proxies included.
/// </summary>
internal static class ForgeableHeaders
{
    /// <summary>What a client may not write, by name prefix.</summary>
    public const string GatewayPrefix = "X-Gateway-";

    /// <summary>What only a trusted proxy may write.</summary>
    private static readonly HashSet<string> ClaimsAboutTheClient = new(
        ["X-Real-IP", "True-Client-IP", "X-Client-IP", "X-Original-URL", "X-Rewrite-URL"], StringComparer.OrdinalIgnoreCase);

    public static IReverseProxyBuilder DropForgeableHeaders(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(transforms => transforms.AddRequestTransform(context =>
        {
            Drop(context);
            return ValueTask.CompletedTask;
        }));

    private static void Drop(RequestTransformContext context)
    {
        List<string>? drop = null;
        bool? trusted = null;
        // One walk over what YARP copied; NonValidated enumerates without parsing or allocating.
        foreach (var header in context.ProxyRequest.Headers.NonValidated)
        {
            var name = header.Key;
            if (name.StartsWith(GatewayPrefix, StringComparison.OrdinalIgnoreCase)
                || (ClaimsAboutTheClient.Contains(name) && !(trusted ??= PeerIsTrusted(context.HttpContext))))
            {
                (drop ??= []).Add(name);
            }
        }

        if (drop is null)
        {
            return;
        }

        foreach (var name in drop)
        {
            context.ProxyRequest.Headers.Remove(name);
        }
    }

    private static bool PeerIsTrusted(HttpContext context) =>
        context.RequestServices.GetRequiredService<ClientAddress>().PeerIsTrusted(context);
}
