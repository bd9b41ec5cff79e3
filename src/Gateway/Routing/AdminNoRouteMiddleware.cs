using Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Routing;

/// <summary>
/// Routing answers the admin port's unknown paths (404) and wrong methods (405) with an empty body; this gives them
/// the problem body of every other gateway answer. No catch-all endpoint there, which would turn 405s into 404s.
/// </summary>
internal sealed class AdminNoRouteMiddleware(RequestDelegate next, IOptions<GatewayOptions> gateway)
{
    /// <summary>On every admin-port answer, so a reader behind a load balancer knows which replica answered.</summary>
    public const string ReplicaHeader = "X-Gateway-Replica";

    // No async frame on the public port's path: only the admin port awaits.
    public Task InvokeAsync(HttpContext context) =>
        ListenerFeature.Of(context) == GatewayListener.Admin ? InvokeAdminAsync(context) : next(context);

    private async Task InvokeAdminAsync(HttpContext context)
    {
        // At the start of the answer: an exception handler's 500 clears the headers set before.
        context.Response.OnStarting(static state =>
        {
            var (response, replica) = ((HttpResponse, string))state;
            response.Headers[ReplicaHeader] = replica;
            return Task.CompletedTask;
        }, (context.Response, gateway.Value.Replica));
        await next(context);
        if (!context.Response.HasStarted
            && context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
        {
            // The public catch-all (dropped here by the listener policy) kept routing from seeing a 405: NoRouteProblem looks.
            var routingAllow = context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed ? context.Response.Headers.Allow.ToString() : null;
            context.Response.Headers.Remove("Allow");
            await NoRouteProblem.WriteAsync(context, GatewayListener.Admin, routingAllow);
        }
    }
}
