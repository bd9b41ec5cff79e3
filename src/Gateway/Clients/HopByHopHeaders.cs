using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Clients;

/// <summary>
/// RFC 9110 §7.6.1: an intermediary removes the fields that <c>Connection</c> nominates before it forwards a message.
/// YARP drops <c>Connection</c> itself and a fixed list of hop-by-hop names but copies any other field it names, both
/// ways. Registered before the gateway writes its own request headers (X-Forwarded-*, traceparent), so a client's
/// nomination removes only what the client sent; in a response, only what the upstream sent.
/// </summary>
internal static class HopByHopHeaders
{
    /// <summary>RFC 9110 tchar: a token with anything else names no field.</summary>
    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static IReverseProxyBuilder DropHopByHopHeaders(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(transforms =>
        {
            transforms.AddRequestTransform(context =>
            {
                foreach (var value in context.HttpContext.Request.Headers.Connection)
                {
                    RemoveNominated(value, context, static (context, name) => RequestTransform.RemoveHeader(context, name));
                }

                return ValueTask.CompletedTask;
            });
            transforms.AddResponseTransform(context =>
            {
                if (context.ProxyResponse is { } upstream && upstream.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var values))
                {
                    foreach (var value in values)
                    {
                        RemoveNominated(value, (Upstream: upstream, Client: context.HttpContext.Response.Headers), static (target, name) =>
                        {
                            if (target.Upstream.Headers.NonValidated.Contains(name) || target.Upstream.Content.Headers.NonValidated.Contains(name))
                            {
                                target.Client.Remove(name);
                            }
                        });
                    }
                }

                return ValueTask.CompletedTask;
            });
        });

    private static void RemoveNominated<T>(string? connection, T target, Action<T, string> remove)
    {
        var options = connection.AsSpan();
        foreach (var range in options.Split(','))
        {
            var token = options[range].Trim(" \t");
            if (!token.IsEmpty && !token.ContainsAnyExcept(TokenCharacters) && !IsHandledElsewhere(token))
            {
                remove(target, token.ToString());
            }
        }
    }

    /// <summary>
    /// The connection's own options (YARP already drops Keep-Alive and Upgrade, and re-adds Upgrade for a WebSocket), and
    /// Content-Length: framing belongs to each hop, and a nomination must not turn a sized body into a chunked one.
    /// </summary>
    private static bool IsHandledElsewhere(ReadOnlySpan<char> token) =>
        token.Equals("close", StringComparison.OrdinalIgnoreCase)
        || token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || token.Equals("upgrade", StringComparison.OrdinalIgnoreCase)
        || token.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase);
}
