using System.Diagnostics;
using Gateway.Errors;
using Gateway.Hosting;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Observability;

/// <summary>
/// The gateway's outermost middleware (first in UseGateway): every response of the public port is counted exactly once, with the origin the
/// deciding feature recorded. Kestrel's own 400/408/431 happen before any middleware and are not seen here, nor is the
/// 400 of host filtering when AllowedHosts is set (the host runs it before UseGateway).
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
        var upgrade = UpgradeRelease.MayUpgrade(context) ? new UpgradeRecord() : null;
        if (upgrade is not null)
        {
            // A 101 (or a 200 to an HTTP/2 extended CONNECT) is counted when the upgrade happens; the session after it
            // is neither a request in flight nor its duration.
            context.Response.OnStarting(() =>
            {
                if (UpgradeRelease.Upgraded(context))
                {
                    upgrade.Upgraded = true;
                    metrics.InFlight.Dec();
                    metrics.UpgradedConnections.Inc();
                    Record(context, Stopwatch.GetElapsedTime(started), logsLines, 0, abortedAfterHeaders: false);
                }

                return Task.CompletedTask;
            });
        }

        var failedAfterHeaders = false;
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            // Kestrel turns an escaped exception into a 500; count it as the gateway's.
            GatewayAnswers.Record(context, new(StatusCodes.Status500InternalServerError, GatewayOrigin.Gateway, "The gateway failed to handle this request."));
            ServerSpanTags.Escaped(context.Features.Get<IHttpActivityFeature>()?.Activity, exception);
            throw;
        }
        catch (Exception exception)
        {
            // Past the headers Kestrel can only reset the stream or close the connection.
            failedAfterHeaders = true;
            ServerSpanTags.Escaped(context.Features.Get<IHttpActivityFeature>()?.Activity, exception);
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
                Record(context, Stopwatch.GetElapsedTime(started), logsLines, body?.Written, failedAfterHeaders || UpstreamBrokeBody(context));
            }
        }
    }

    private sealed class UpgradeRecord
    {
        public bool Upgraded { get; set; }
    }

    /// <summary>
    /// YARP's answer to an upstream that failed mid-body: it resets the client's stream (HTTP/2) or aborts the connection,
    /// which also cancels RequestAborted; the client did not leave.
    /// </summary>
    private static bool UpstreamBrokeBody(HttpContext context) =>
        context.Response.HasStarted && context.Features.Get<IForwarderErrorFeature>()?.Error == ForwarderError.ResponseBodyDestination;

    private void Record(HttpContext context, TimeSpan elapsed, bool logsLines, long? bodyBytes, bool abortedAfterHeaders)
    {
        var model = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();
        // A client that left got nothing: count it apart (499, origin client) instead of as the status YARP set.
        var clientLeft = !abortedAfterHeaders && context.RequestAborted.IsCancellationRequested;
        var status = clientLeft ? ClientClosedRequest : context.Response.StatusCode;
        // The status an upstream sent and then broke is still the upstream's (YARP's error feature would make it the gateway's).
        var origin = clientLeft ? GatewayOrigin.Client
            : abortedAfterHeaders && UpstreamBrokeBody(context) && context.GetOrigin() is null ? GatewayOrigin.Upstream
            : context.DecidedOrigin(model is not null);
        var series = RouteSeries.For(metrics, model?.Config);
        series.Record(status, StatusLabels.MethodIndex(context.Request.Method), origin, elapsed.TotalSeconds);
        metrics.RecordProtocol(ProtocolLabels.Index(context.Request.Protocol), status);
        if (abortedAfterHeaders)
        {
            series.RecordAborted(status);
        }

        int? grpc = GrpcOutcome.IsGrpc(context.Response) ? clientLeft ? GrpcOutcome.Missing : GrpcOutcome.Status(context) : null;
        if (grpc is { } grpcStatus)
        {
            series.RecordGrpc(grpcStatus, origin);
        }

        if (context.Features.Get<UpstreamTimingFeature>() is { } upstream && context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is not null)
        {
            upstream.Elapsed = Stopwatch.GetElapsedTime(upstream.Started);
            series.RecordUpstream(upstream.Elapsed.Value.TotalSeconds);
        }

        if (logsLines)
        {
            // An aborted response's line keeps the status that was sent, with class "aborted": the client saw a reset.
            accessLog.Write(context, model, status, abortedAfterHeaders ? AccessLog.AbortedClass : StatusLabels.Class(status), origin.ToLabel(), elapsed, bodyBytes, grpc);
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
