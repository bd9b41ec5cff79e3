using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Clients;

/// <summary>
/// YARP rewrites X-Forwarded-* but copies other client-IP and URL-override headers as sent, so a client could
/// tell the upstream it is someone else. They are dropped unless the peer is a trusted proxy.
/// </summary>
internal static class ForgeableHeaders
{
    private static readonly string[] Names = ["X-Real-IP", "True-Client-IP", "X-Client-IP", "X-Original-URL", "X-Rewrite-URL"];

    public static IReverseProxyBuilder DropForgeableHeaders(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(transforms => transforms.AddRequestTransform(context =>
        {
            if (AnySent(context.HttpContext.Request.Headers)
                && !context.HttpContext.RequestServices.GetRequiredService<ClientAddress>().PeerIsTrusted(context.HttpContext))
            {
                foreach (var name in Names)
                {
                    context.ProxyRequest.Headers.Remove(name);
                }
            }

            return ValueTask.CompletedTask;
        }));

    private static bool AnySent(IHeaderDictionary headers)
    {
        foreach (var name in Names)
        {
            if (headers.ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }
}
