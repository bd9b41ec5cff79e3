using System.Diagnostics;
using Gateway.Errors;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Gateway.Observability;

/// <summary>
/// The gateway's outermost middleware (first in UseGateway): every response of the public port is counted exactly once, with the origin the
/// deciding feature recorded. Kestrel's own 400/408/431 happen before any middleware and are not seen here.
/// </summary>
internal sealed class ResponseRecorder(RequestDelegate next, ObservabilityMetrics metrics, AccessLog accessLog)
{
    private const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        if (ListenerFeature.Of(context) != GatewayListener.Public)
        {
            DropSpan(Activity.Current);
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        metrics.InFlight.Inc();
        var logsLines = accessLog.WritesLines;
        var body = logsLines ? ResponseBodyCounter.TryInstall(context) : null;
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true ? new UpgradeRecord() : null;
        if (upgrade is not null)
        {
            // A 101 is counted when the upgrade happens; the session after it is neither a request in flight nor its duration.
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status101SwitchingProtocols)
                {
                    upgrade.Upgraded = true;
                    metrics.InFlight.Dec();
                    metrics.UpgradedConnections.Inc();
                    Record(context, Stopwatch.GetElapsedTime(started), logsLines, 0);
                }

                return Task.CompletedTask;
            });
        }

        try
        {
            await next(context);
        }
        catch when (!context.Response.HasStarted)
        {
            // Kestrel turns an escaped exception into a 500; count it as the gateway's.
            GatewayAnswers.Record(context, new(StatusCodes.Status500InternalServerError, GatewayOrigin.Gateway, "The gateway failed to handle this request."));
            throw;
        }
        finally
        {
            body?.Uninstall(context);
            if (upgrade?.Upgraded == true)
            {
                metrics.UpgradedConnections.Dec();
            }
            else
            {
                metrics.InFlight.Dec();
                Record(context, Stopwatch.GetElapsedTime(started), logsLines, body?.Written);
            }
        }
    }

    private sealed class UpgradeRecord
    {
        public bool Upgraded { get; set; }
    }

    private void Record(HttpContext context, TimeSpan elapsed, bool logsLines, long? bodyBytes)
    {
        var model = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        // A client that left got nothing: count it apart (499, origin client) instead of as the status YARP set.
        var clientLeft = context.RequestAborted.IsCancellationRequested;
        var status = clientLeft ? ClientClosedRequest : context.Response.StatusCode;
        var origin = clientLeft ? GatewayOrigin.Client : context.DecidedOrigin(model is not null);
        var series = RouteSeries.For(metrics, model?.Config);
        series.Record(status, StatusLabels.MethodIndex(context.Request.Method), origin, elapsed.TotalSeconds);
        if (context.Features.Get<UpstreamTimingFeature>() is { } upstream && context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is not null)
        {
            upstream.Elapsed = Stopwatch.GetElapsedTime(upstream.Started);
            series.RecordUpstream(upstream.Elapsed.Value.TotalSeconds);
        }

        if (logsLines)
        {
            accessLog.Write(context, model, status, StatusLabels.Class(status), origin.ToLabel(), elapsed, bodyBytes);
        }
    }

    /// <summary>Admin-port requests (scrapes, health probes, the status page) are not traced: an unrecorded span is not exported.</summary>
    private static void DropSpan(Activity? span)
    {
        if (span is not null)
        {
            span.IsAllDataRequested = false;
            span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
