using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Limits;

/// <summary>
/// Proxy pipeline step: a declared body over the route's <c>MaxRequestBodySize</c> (else the server's limit) is refused
/// with 413 before the upstream is contacted, as nginx's client_max_body_size does. A chunked body over it fails while
/// the forwarder reads it; <see cref="DecideReadFailure"/> says what that failure is answered with.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Only a declared length is judged here; a request without one (most GETs) costs no lookup of the limits.
        if (context.Request.ContentLength is not { } length)
        {
            return next(context);
        }

        // YARP applies the route's value only when it forwards, so read it here; -1 means no limit.
        var limit = context.GetRouteModel().Config.MaxRequestBodySize switch
        {
            null => context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize,
            < 0 => null,
            var routeLimit => routeLimit,
        };
        return length > limit
            ? GatewayAnswers.WriteAsync(context, new(StatusCodes.Status413PayloadTooLarge, GatewayOrigin.Limits, $"The request body is over this route's limit of {limit} bytes."))
            : next(context);
    }

    /// <summary>Kestrel's verdict on a client body that failed while being forwarded: over the limit (413) or too slow (408).</summary>
    internal static GatewayDecision? DecideReadFailure(int kestrelStatus) => kestrelStatus switch
    {
        StatusCodes.Status413PayloadTooLarge => new(StatusCodes.Status413PayloadTooLarge, GatewayOrigin.Limits, "The request body is over this route's limit."),
        StatusCodes.Status408RequestTimeout => new(StatusCodes.Status408RequestTimeout, GatewayOrigin.Limits, "The request body did not arrive in time."),
        _ => null,
    };
}
