using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Errors;

/// <summary>
/// The one writer of the standard headers that say who answered: <c>Proxy-Status</c> (RFC 9209) and <c>Cache-Status</c>
/// (RFC 9211). Both are structured-field Lists with one member per intermediary, the one nearest the origin first
/// (RFC 9209 §2, RFC 9211 §2): the gateway's member (its name, then parameters) is appended after any member an
/// upstream sent, which is kept.
/// </summary>
public static class WhoAnswered
{
    public const string ProxyStatusHeader = "Proxy-Status";
    public const string CacheStatusHeader = "Cache-Status";

    /// <summary>
    /// The gateway's <c>Proxy-Status</c> member (name and parameters, <see cref="ProxyStatusMiddleware"/> makes it), after
    /// any the upstream sent. Written once per response, when it starts.
    /// </summary>
    internal static void ProxyStatus(HttpResponse response, string member) =>
        Append(response.Headers, ProxyStatusHeader, member);

    /// <summary><c>Cache-Status: &lt;name&gt;; hit; ttl=N</c>: answered from a stored response (also a 304), N seconds of freshness left (negative when stale).</summary>
    /// <param name="name">The gateway's member name, the same as in Proxy-Status (<c>ProxyStatus:Name</c>).</param>
    public static void CacheHit(HttpResponse response, string name, long ttlSeconds) =>
        Append(response.Headers, CacheStatusHeader, string.Create(CultureInfo.InvariantCulture, $"{name}; hit; ttl={ttlSeconds}"));

    /// <summary><c>Cache-Status: &lt;name&gt;; fwd=&lt;reason&gt;</c>, with <c>stored</c> when the answer is kept for later requests.</summary>
    public static void CacheForwarded(HttpResponse response, string name, string reason, bool stored) =>
        Append(response.Headers, CacheStatusHeader, stored ? $"{name}; fwd={reason}; stored" : $"{name}; fwd={reason}");

    /// <summary>One field line: the members already there (several lines are one List, RFC 9651 §3.1), then ours.</summary>
    private static void Append(IHeaderDictionary headers, string header, string member)
    {
        var existing = headers[header];
        headers[header] = StringValues.IsNullOrEmpty(existing) ? member : $"{string.Join(", ", existing.Where(value => !string.IsNullOrWhiteSpace(value)))}, {member}";
    }
}
