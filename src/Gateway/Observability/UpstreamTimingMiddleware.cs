using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Gateway.Observability;

/// <summary>
/// Proxy pipeline step, just before the forwarder: starts the upstream clock, which ResponseRecorder stops when the
/// response (body included) is done. No await here, so the proxied path carries no extra async frame.
/// </summary>
internal sealed class UpstreamTimingMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Features.Set(new UpstreamTimingFeature { Started = Stopwatch.GetTimestamp() });
        return next(context);
    }
}
