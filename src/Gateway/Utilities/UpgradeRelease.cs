using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Utilities;

/// <summary>
/// A permit held while a request runs, released early when the request is upgraded (101, e.g. a WebSocket): the
/// session that follows is not a request in progress and must not hold a concurrency permit for hours.
/// </summary>
internal static class UpgradeRelease
{
    /// <summary>The lease to dispose when the request ends: itself, or for an upgradable request one that is also disposed at a 101.</summary>
    public static IDisposable Guard(HttpContext context, RateLimitLease lease)
    {
        if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true)
        {
            return lease;
        }

        var once = new ReleaseOnce(lease);
        context.Response.OnStarting(static state =>
        {
            var (response, release) = ((HttpResponse, ReleaseOnce))state;
            if (response.StatusCode == StatusCodes.Status101SwitchingProtocols)
            {
                release.Dispose();
            }

            return Task.CompletedTask;
        }, (context.Response, once));
        return once;
    }

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
