using System.Diagnostics;
using Gateway.Errors;
using Gateway.Limits;
using Gateway.Observability;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Gateway.Forwarding;

/// <summary>
/// In the proxy pipeline right after overload shedding (its 503 comes before any forward), outside every step that
/// forwards: the one place that decides the status of a failed forward. YARP sets a
/// bare status and no body; some of its choices are wrong for a gateway (a route <c>Timeout</c> comes out as 400,
/// dotnet/yarp#3037). A body over the route's limit is the Limits folder's call (<see cref="RequestBodyLimitMiddleware"/>).
/// </summary>
internal sealed partial class UpstreamFailureMiddleware(RequestDelegate next, ILogger<UpstreamFailureMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using var gatewayHeaders = GatewayHeaders.Take(context.Response);
        await next(context);
        if (context.Features.Get<IForwarderErrorFeature>() is { } failure && !context.Response.HasStarted)
        {
            await AnswerAsync(context, failure, gatewayHeaders);
        }
    }

    internal static GatewayDecision? Decide(ForwarderError error, int statusSetByYarp, bool routeTimeoutFired, bool grpcDeadlineFired = false) => error switch
    {
        ForwarderError.NoAvailableDestinations =>
            new(StatusCodes.Status503ServiceUnavailable, GatewayOrigin.NoHealthy, "No healthy upstream is available for this route."),
        ForwarderError.RequestTimedOut =>
            new(StatusCodes.Status504GatewayTimeout, GatewayOrigin.Timeout, "The upstream did not answer within the cluster's activity timeout."),
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled when routeTimeoutFired =>
            new(StatusCodes.Status504GatewayTimeout, GatewayOrigin.Timeout, "The upstream did not answer within the route's timeout."),
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled when grpcDeadlineFired =>
            new(StatusCodes.Status504GatewayTimeout, GatewayOrigin.Timeout, "The upstream did not answer within the call's grpc-timeout."),
        ForwarderError.RequestBodyDestination when statusSetByYarp == StatusCodes.Status504GatewayTimeout =>
            new(StatusCodes.Status504GatewayTimeout, GatewayOrigin.Timeout, "The upstream stopped reading the request body in time."),
        ForwarderError.Request or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders =>
            new(StatusCodes.Status502BadGateway, GatewayOrigin.Unreachable, "The upstream could not be reached or sent an invalid response."),
        ForwarderError.RequestCreation =>
            new(StatusCodes.Status502BadGateway, GatewayOrigin.Gateway, "The gateway could not build the upstream request."),
        ForwarderError.RequestBodyClient when RequestBodyLimitMiddleware.DecideReadFailure(statusSetByYarp) is { } limits => limits,
        ForwarderError.RequestBodyClient =>
            new(StatusCodes.Status400BadRequest, GatewayOrigin.Gateway, "The request body could not be read."),
        // The client went away (nobody reads the answer) or the response had started: nothing to write.
        _ => null,
    };

    private Task AnswerAsync(HttpContext context, IForwarderErrorFeature failure, GatewayHeaders gatewayHeaders)
    {
        var routeTimeoutFired = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
        var routeId = context.GetRouteModel().Config.RouteId;
        var reason = LogText.Escape(failure.Exception?.Message ?? "no destination to send to"); // may quote an upstream's header line
        // Kestrel's own verdict on the client's body (413 over the limit, 408 too slow) outranks YARP's guess.
        var observed = failure.Exception is BadHttpRequestException bad ? bad.StatusCode : context.Response.StatusCode;
        if (Decide(failure.Error, observed, routeTimeoutFired, GrpcDeadlineMiddleware.HasFired(context)) is not { } decision)
        {
            Log.Unanswered(logger, routeId, failure.Error, reason);
            return Task.CompletedTask;
        }

        LogOnce(context, decision, routeId, failure.Error, reason);

        // Whatever YARP copied from a half-read upstream answer must not leak into ours; the gateway's own headers stay.
        gatewayHeaders.ClearBackTo(context.Response);
        return GatewayAnswers.WriteAsync(context, decision with
        {
            RetryAfter = decision.Origin == GatewayOrigin.NoHealthy ? HealthCheckInterval(context) : null,
            // Refused, reset or not HTTP: the failure says which (RFC 9209 §2.3).
            ErrorType = decision.Origin == GatewayOrigin.Unreachable ? ProxyErrorType.UnreachableType(failure.Error, failure.Exception) : null,
        });
    }

    /// <summary>
    /// The access log carries the failure in the response's line when it writes one (see <see cref="UpstreamFailureFeature"/>);
    /// only a response without a line gets this warning, once the response has completed and the access log has had its say.
    /// </summary>
    private void LogOnce(HttpContext context, GatewayDecision decision, string routeId, ForwarderError error, string reason)
    {
        var failure = new UpstreamFailureFeature(error.ToString(), reason);
        context.Features.Set(failure);
        var destination = context.GetReverseProxyFeature().ProxiedDestination?.DestinationId ?? "-";
        var traceId = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
        context.Response.OnCompleted(() =>
        {
            if (!failure.Logged)
            {
                Log.Answered(logger, decision.Status, decision.Origin.ToLabel(), routeId, destination, error, reason, traceId);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>A client may retry once the next active probe could have found a healthy destination.</summary>
    private static TimeSpan HealthCheckInterval(HttpContext context) =>
        context.GetReverseProxyFeature().Cluster?.Config.HealthCheck?.Active?.Interval
        ?? context.RequestServices.GetService<IOptions<ActiveHealthCheckMonitorOptions>>()?.Value.DefaultInterval
        ?? TimeSpan.FromSeconds(15);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.UpstreamFailureAnswered, Level = LogLevel.Warning, Message = "Answered {Status} ({Origin}) on route {RouteId} dest={Destination}: forwarding failed with {Error}: {Reason} trace={trace_id}")]
        public static partial void Answered(ILogger logger, int status, string origin, string routeId, string destination, ForwarderError error, string reason, string trace_id);

        [LoggerMessage(EventId = EventIds.UpstreamFailureUnanswered, Level = LogLevel.Information, Message = "Forwarding on route {RouteId} ended with {Error} and nothing left to answer: {Reason}")]
        public static partial void Unanswered(ILogger logger, string routeId, ForwarderError error, string reason);
    }
}
