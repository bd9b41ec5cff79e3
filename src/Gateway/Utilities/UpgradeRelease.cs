using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Utilities;

/// <summary>
/// A permit held while a request runs, released early when the request is upgraded (101, e.g. a WebSocket; or a 200 to
/// an HTTP/2 extended CONNECT, RFC 8441's WebSocket over HTTP/2): the session that follows is not a request in
/// progress and must not hold a concurrency permit for hours.
/// </summary>
internal static class UpgradeRelease
{
    /// <summary>The lease to dispose when the request ends: itself, or for an upgradable request one that is also disposed at a 101.</summary>
    public static IDisposable Guard(HttpContext context, RateLimitLease lease)
    {
        if (!MayUpgrade(context))
        {
            return lease;
        }

        var once = new ReleaseOnce(lease);
        context.Response.OnStarting(static state =>
        {
            var (context, release) = ((HttpContext, ReleaseOnce))state;
            if (Upgraded(context))
            {
                release.Dispose();
            }

            return Task.CompletedTask;
        }, (context, once));
        return once;
    }

    /// <summary>An HTTP/1.1 upgrade request or an HTTP/2 extended CONNECT (Kestrel offers it: SETTINGS_ENABLE_CONNECT_PROTOCOL).</summary>
    public static bool MayUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    /// <summary>Whether the response starting now is an upgrade: a 101, or a 200 to an extended CONNECT (RFC 8441 section 5).</summary>
    public static bool Upgraded(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status101SwitchingProtocols => true,
        StatusCodes.Status200OK => context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true,
        _ => false,
    };

    private sealed class ReleaseOnce(RateLimitLease lease) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lease.Dispose();
            }
        }
    }
}
