using System.Diagnostics;
using System.Globalization;
using Gateway.Clients;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Gateway.Observability;

/// <summary>
/// One structured line per public response (category <c>Gateway.AccessLog</c>): JSON with
/// <c>Logging:Console:FormatterName=json</c>, compact text otherwise. Nothing is computed unless the line is written.
/// </summary>
internal sealed class AccessLog(ILoggerFactory loggers, IOptionsMonitor<AccessLogOptions> settings, ClientAddress clients)
{
    private static readonly EventId LineEvent = new(EventIds.AccessLogLine, "AccessLogLine");
    private readonly ILogger _logger = loggers.CreateLogger("Gateway.AccessLog");

    /// <summary>Whether lines are written at all (before the per-response filters): the body counter is installed only then.</summary>
    public bool WritesLines => settings.CurrentValue.Enabled && _logger.IsEnabled(LogLevel.Information);

    /// <summary>The status class of a response that failed after its headers were sent (the status stays the one sent).</summary>
    public const string AbortedClass = "aborted";

    /// <summary>Called for a response of a request that started while <see cref="WritesLines"/>; applies the per-response filters.</summary>
    /// <param name="bodyBytes">Body bytes sent, when counted; else the Content-Length, when known.</param>
    /// <param name="grpcStatus">The grpc-status index (<see cref="GrpcOutcome"/>) of a gRPC response, else null.</param>
    public void Write(HttpContext context, RouteModel? route, int status, string statusClass, string origin, TimeSpan elapsed, long? bodyBytes, int? grpcStatus = null)
    {
        var current = settings.CurrentValue;
        // An aborted response, or a gRPC error (an HTTP 200), is a failure whatever status was sent: MinStatus does not hide it.
        var failed = statusClass == AbortedClass || grpcStatus is > 0;
        if ((status < current.MinStatus && !failed) || (current.SampleRate < 1 && Random.Shared.NextDouble() >= current.SampleRate))
        {
            return;
        }

        // Past the guard above: everything below is only computed for a line that is written.
        var upstream = context.Features.Get<UpstreamTimingFeature>()?.Elapsed;
        var client = clients.ClientLabel(context);
        var time = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var destination = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.DestinationId ?? "-";
        var span = Activity.Current;
        var traceId = span?.TraceId.ToHexString() ?? context.TraceIdentifier;
        var durationMs = Math.Round(elapsed.TotalMilliseconds, 1);
        double? upstreamMs = upstream is { } up ? Math.Round(up.TotalMilliseconds, 1) : null;
        var bytes = BodyBytes(context, bodyBytes);
        // A gateway-made 502/503/504 is told here, in its line, and not again by the forwarding warning.
        var failure = context.Features.Get<UpstreamFailureFeature>();
        var line = new AccessLogLine(time, context.Request.Method, route?.Config.RouteId ?? "none", LogText.Path(context.Request.Path),
            status, statusClass, origin, destination, durationMs, upstreamMs, context.Features.Get<UpstreamRetryFeature>()?.Retries ?? 0, bytes, client, traceId, span?.SpanId.ToHexString(),
            failure?.Error, failure?.Reason, grpcStatus is { } grpc ? GrpcOutcome.Name(grpc) : null);
        _logger.Log(LogLevel.Information, LineEvent, line, null, AccessLogLine.Format);
        if (failure is not null)
        {
            failure.Logged = true;
        }
    }

    /// <summary>Kestrel drops what is written for a HEAD request: nothing was sent.</summary>
    private static long? BodyBytes(HttpContext context, long? counted) =>
        HttpMethods.IsHead(context.Request.Method) ? 0 : counted ?? context.Response.ContentLength;
}
