using Gateway.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Forwarding;

/// <summary>
/// Sends a safe request again when the connection failed before any response byte (<see cref="ForwarderError.Request"/>):
/// on another available destination when there is one, never after the response started, never past the route's timeout
/// (its token cancels the request), never a request with a body. Placed before load balancing, so each attempt picks
/// from what is left and passive health checks see every failure.
/// </summary>
internal sealed class RetryMiddleware(RequestDelegate next, IOptionsMonitor<RetryOptions> settings, ForwardingMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var current = settings.CurrentValue;
        var attempts = current.AttemptsFor(proxy.Cluster.Config.ClusterId);
        return attempts > 0 && MayRetry(context, current) ? InvokeWithRetriesAsync(context, proxy, attempts) : next(context);
    }

    private static bool MayRetry(HttpContext context, RetryOptions current)
    {
        var request = context.Request;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            return false;
        }

        var method = request.Method;
        return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || ((HttpMethods.IsPut(method) || HttpMethods.IsDelete(method))
                && current.IdempotentRoutes.Contains(context.GetRouteModel().Config.RouteId, StringComparer.OrdinalIgnoreCase));
    }

    private async Task InvokeWithRetriesAsync(HttpContext context, IReverseProxyFeature proxy, int attempts)
    {
        var candidates = proxy.AvailableDestinations;
        await next(context);
        List<DestinationState>? tried = null; // Made on the first failure only: the common path allocates nothing here.
        for (var retry = 1; retry <= attempts && ShouldRetry(context); retry++)
        {
            tried ??= new List<DestinationState>(attempts);
            if (proxy.ProxiedDestination is { } failed)
            {
                tried.Add(failed);
            }

            var untried = candidates.Where(destination => !tried.Contains(destination)).ToList();
            proxy.AvailableDestinations = untried.Count > 0 ? untried : candidates; // The same one again when it is the only one.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            (context.Features.Get<UpstreamRetryFeature>() ?? SetFeature(context)).Retries = retry;
            await next(context);
            var outcome = context.Features.Get<IForwarderErrorFeature>() is null ? "recovered" : "failed";
            metrics.UpstreamRetries.WithLabels(context.GetRouteModel().Config.RouteId, proxy.Cluster.Config.ClusterId, outcome).Inc();
        }
    }

    private static bool ShouldRetry(HttpContext context) =>
        context.Features.Get<IForwarderErrorFeature>() is { Error: ForwarderError.Request }
        && !context.Response.HasStarted
        && !context.RequestAborted.IsCancellationRequested;

    private static UpstreamRetryFeature SetFeature(HttpContext context)
    {
        var feature = new UpstreamRetryFeature();
        context.Features.Set(feature);
        return feature;
    }
}
