using Gateway.Errors;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Routing;

/// <summary>
/// The one place that answers a request no endpoint takes, on either listener: 405 with <c>Allow</c> when the
/// listener's endpoints take other methods at this path and host, else 404. Both are problems with origin <c>no_route</c>.
/// </summary>
internal static class NoRouteProblem
{
    /// <param name="allowFromRouting">The Allow value routing already found (a 405 of its own), if any.</param>
    public static Task WriteAsync(HttpContext context, GatewayListener listener, string? allowFromRouting = null)
    {
        var admin = listener == GatewayListener.Admin;
        if ((AllowedMethods.AllowHeader(context, listener) ?? allowFromRouting) is { Length: > 0 } allow)
        {
            context.Response.Headers.Allow = allow;
            return GatewayAnswers.WriteAsync(context, new(StatusCodes.Status405MethodNotAllowed, GatewayOrigin.NoRoute, admin
                ? $"This admin endpoint does not answer {context.Request.Method}; see Allow."
                : $"No route of this gateway takes {context.Request.Method} at this path; see Allow."));
        }

        return GatewayAnswers.WriteAsync(context, new(StatusCodes.Status404NotFound, GatewayOrigin.NoRoute, admin
            ? "The admin port has no such endpoint."
            : "No route of this gateway matches this request."));
    }
}
