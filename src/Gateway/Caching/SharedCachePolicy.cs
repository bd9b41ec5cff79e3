using System.Globalization;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Gateway.Caching;

/// <summary>
/// The <c>shared</c> output-cache policy: RFC 9111's rules for a shared cache, applied to what the upstream sends.
/// A request is looked up and its answer stored only for GET/HEAD without a request <c>Cache-Control: no-cache</c>/
/// <c>no-store</c> (those are counted as bypass). An answer is stored only when it is a 200 whose <c>Cache-Control</c>
/// gives a lifetime (<c>s-maxage</c>, else <c>max-age</c>) and says neither <c>no-store</c>, <c>no-cache</c> nor
/// <c>private</c>, without <c>Set-Cookie</c>, and with no <c>Vary</c> but <c>Accept-Encoding</c>. Every entry is tagged
/// with its route id, so a route's entries can be evicted together.
/// <para>
/// A request with <c>Authorization</c> (RFC 9111 §3.5): its answer is stored only when it also says <c>public</c>,
/// <c>s-maxage</c> or <c>must-revalidate</c>, the upstream's statement that it may be shared. Such an entry then answers
/// every request with <c>Authorization</c> for the same URL, whoever sent it, as the RFC allows: an upstream whose answer
/// depends on the user must say <c>private</c> or <c>Vary: Authorization</c>, and neither is stored here. Requests with
/// and without <c>Authorization</c> keep separate entries, so an upstream that answers a token differently but forgets
/// to say so never hands the anonymous answer to a user or a user's answer to an anonymous client. The gateway's own
/// authorization runs before the cache: a hit still needs a token the route accepts.
/// </para>
/// </summary>
/// <param name="names">The gateway's member name in Cache-Status: Proxy-Status's, one name for the gateway (live).</param>
/// <param name="store">The Redis store's wrapper, when the cache is in Redis: while it is unreachable nothing is looked up or kept.</param>
internal sealed class SharedCachePolicy(CacheMetrics metrics, IOptionsMonitor<ProxyStatusOptions> names, Func<OutageTolerantCacheStore?> store) : IOutputCachePolicy
{
    public const string Name = "shared";

    private readonly Lazy<OutageTolerantCacheStore?> _store = new(store);

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.EnableOutputCaching = false;
            SayForwarded(http, ForwardedForMethod);
            return ValueTask.CompletedTask;
        }

        var route = RouteId(http);
        if (RequestRefusesCache(request.Headers.CacheControl))
        {
            context.EnableOutputCaching = false;
            metrics.Requests.WithLabels(route, CacheResults.Bypass).Inc();
            SayForwarded(http, ForwardedForRequest);
            return ValueTask.CompletedTask;
        }

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        // ASP.NET Core's cache key is fixed when the request arrives, before the upstream's Vary is known. So the key
        // always varies by Accept-Encoding (the one Vary an upstream commonly sends), and an answer that varies by
        // anything else is not stored (ServeResponseAsync) rather than served to requests it was not made for.
        context.CacheVaryByRules.HeaderNames = HeaderNames.AcceptEncoding;
        context.CacheVaryByRules.QueryKeys = "*"; // The whole query is part of what was asked for.
        if (HasAuthorization(request))
        {
            // Whether a token was sent, never the token: entries for requests with one are shared by every user.
            context.CacheVaryByRules.VaryByValues[AuthorizationKey] = "present";
        }

        context.Tags.Add(route);
        http.Response.OnStarting(static state =>
        {
            var (context, policy, route) = ((OutputCacheContext, SharedCachePolicy, string))state;
            var http = context.HttpContext;
            var result = http.GetOrigin() != GatewayOrigin.Cache ? CacheResults.Miss
                : http.Response.StatusCode == StatusCodes.Status304NotModified ? CacheResults.NotModified
                : CacheResults.Hit;
            policy.Answered(context, route, result);
            return Task.CompletedTask;
        }, (context, this, route));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Counts the lookup's result, and writes Cache-Status (RFC 9211) on what the cache answered (a hit, also its 304) and on what it forwarded and got from the
    /// upstream; never on an answer the gateway made itself (RFC 9211 §2). Runs as the headers go out: after the cache
    /// copied the headers it stores, so a stored entry never carries this request's member.
    /// </summary>
    private void Answered(OutputCacheContext context, string route, string result)
    {
        metrics.Requests.WithLabels(route, result).Inc();
        var http = context.HttpContext;
        var response = http.Response;
        var name = names.CurrentValue.Name;
        if (result != CacheResults.Miss)
        {
            WhoAnswered.CacheHit(response, name, SecondsFresh(response, context.ResponseTime ?? DateTimeOffset.UtcNow));
            if (HttpMethods.IsHead(http.Request.Method))
            {
                // The cache states its stored body's length, 0 for a HEAD's entry: wrong for HEAD (RFC 9110 §8.6), so none.
                response.ContentLength = null;
            }
        }
        else if (FromUpstream(http))
        {
            if (_store.Value?.Outage is not null)
            {
                // The store could not be read and drops the write: the cache did not handle this request at all.
                WhoAnswered.CacheForwarded(response, name, ForwardedForBypass, stored: false);
                return;
            }

            var stored = context.AllowCacheStorage && StorableFor(response, HasAuthorization(http.Request)) is not null;
            WhoAnswered.CacheForwarded(response, name, ForwardedForUriMiss, stored);
        }
    }

    /// <summary>Cache-Status for a request the cache did not look up, on the upstream's answer only (a gateway-made one has none).</summary>
    private void SayForwarded(HttpContext http, string reason) =>
        http.Response.OnStarting(static state =>
        {
            var (http, policy, reason) = ((HttpContext, SharedCachePolicy, string))state;
            policy.Forwarded(http, reason);
            return Task.CompletedTask;
        }, (http, this, reason));

    private void Forwarded(HttpContext http, string reason)
    {
        if (FromUpstream(http))
        {
            WhoAnswered.CacheForwarded(http.Response, names.CurrentValue.Name, reason, stored: false);
        }
    }

    /// <summary>RFC 9211 ttl: the freshness lifetime the stored answer states, less its age (Age, or since its Date on a 304).</summary>
    internal static long SecondsFresh(HttpResponse response, DateTimeOffset now)
    {
        var lifetime = CacheControlHeaderValue.TryParse(response.Headers.CacheControl.ToString(), out var cacheControl)
            ? cacheControl.SharedMaxAge ?? cacheControl.MaxAge ?? TimeSpan.Zero
            : TimeSpan.Zero;
        var age = long.TryParse(response.Headers.Age.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds
            : HeaderUtilities.TryParseDate(response.Headers.Date.ToString(), out var date) ? Math.Max(0, (long)(now - date).TotalSeconds)
            : 0;
        return (long)lifetime.TotalSeconds - age;
    }

    // RFC 9211 §2.2's reasons for going forward.
    private const string ForwardedForUriMiss = "uri-miss";
    private const string ForwardedForRequest = "request";
    private const string ForwardedForMethod = "method";
    private const string ForwardedForBypass = "bypass";

    private static bool FromUpstream(HttpContext context) => context.GetOrigin() is null or GatewayOrigin.Upstream;

    /// <summary>Called when a fresh entry answers (a 200 or, for a matching If-None-Match, a 304): the gateway decided it.</summary>
    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        context.HttpContext.SetOrigin(GatewayOrigin.Cache);
        return ValueTask.CompletedTask;
    }

    /// <summary>Again once the answer is complete, for an answer without a body (decided earlier by <see cref="CacheLifetimeTransform"/>).</summary>
    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        DecideStorage(context);
        return ValueTask.CompletedTask;
    }

    /// <summary>Stored for its freshness lifetime, or not at all; from the response headers only, so it can run as they arrive.</summary>
    internal static void DecideStorage(OutputCacheContext context)
    {
        var lifetime = StorableFor(context.HttpContext.Response, HasAuthorization(context.HttpContext.Request));
        if (lifetime is { } fresh)
        {
            context.ResponseExpirationTimeSpan = fresh;
        }
        else
        {
            context.AllowCacheStorage = false;
        }
    }

    /// <summary>How long a shared cache may keep this answer, or null when it must not store it.</summary>
    /// <param name="requestHadAuthorization">The request carried <c>Authorization</c>: then only an answer that says it may be shared is stored.</param>
    internal static TimeSpan? StorableFor(HttpResponse response, bool requestHadAuthorization = false)
    {
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0
            || !CacheControlHeaderValue.TryParse(response.Headers.CacheControl.ToString(), out var cacheControl)
            || cacheControl.NoStore || cacheControl.NoCache || cacheControl.Private)
        {
            return null;
        }

        // RFC 9111 §3.5: the directives that let a shared cache keep an answer to a request with Authorization.
        if (requestHadAuthorization && !cacheControl.Public && cacheControl.SharedMaxAge is null && !cacheControl.MustRevalidate)
        {
            return null;
        }

        foreach (var vary in response.Headers.Vary)
        {
            foreach (var name in (vary ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!name.Equals(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }
        }

        // s-maxage is for shared caches and wins over max-age; an Age from a cache further up is already spent.
        var lifetime = cacheControl.SharedMaxAge ?? cacheControl.MaxAge;
        if (lifetime is { } seconds && int.TryParse(response.Headers.Age.ToString(), out var age))
        {
            lifetime = seconds - TimeSpan.FromSeconds(age);
        }

        return lifetime > TimeSpan.Zero ? lifetime : null;
    }

    private const string AuthorizationKey = "authorization";

    private static bool HasAuthorization(HttpRequest request) => request.Headers.Authorization.Count > 0;

    private static bool RequestRefusesCache(StringValues header) =>
        header.Count > 0 && CacheControlHeaderValue.TryParse(header.ToString(), out var cacheControl) && (cacheControl.NoCache || cacheControl.NoStore);

    private static string RouteId(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? "none";
}
