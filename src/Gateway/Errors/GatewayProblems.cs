using System.Diagnostics;
using Gateway.Errors.StatusGuide;
using Gateway.Hosting;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy.Model;

namespace Gateway.Errors;

/// <summary>The one writer of gateway-made responses: RFC 9457 problem+json with traceId and origin, never internal detail.</summary>
public static class GatewayProblems
{
    /// <summary>Headers already set (WWW-Authenticate, RateLimit) are kept; callers clear what must not survive.</summary>
    public static Task WriteAsync(HttpContext context, int status, GatewayOrigin origin, string detail, TimeSpan? retryAfter = null)
    {
        context.SetOrigin(origin);
        context.Features.Set(new ProblemDetailFeature(detail));
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.Text(wait);
        }

        var problem = new ProblemDetails
        {
            Status = status,
            Title = ReasonPhrases.GetReasonPhrase(status),
            // Resolves on this gateway: what the code means and why this route produced it.
            Type = StatusGuideEndpoints.TypeUri(status, origin, context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId,
                ListenerFeature.Of(context) == GatewayListener.Admin),
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["origin"] = origin.ToLabel();
        AddTraceId(context, problem);
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>The same answer as an <see cref="IResult"/>, for endpoint handlers.</summary>
    public static IResult Result(int status, GatewayOrigin origin, string detail, TimeSpan? retryAfter = null) =>
        new ProblemResult(status, origin, detail, retryAfter);

    /// <summary>The W3C trace id when a trace is running (the id an OTLP backend shows), else the request's id.</summary>
    public static void AddTraceId(HttpContext context, ProblemDetails problem) =>
        problem.Extensions["traceId"] = Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C
            ? activity.TraceId.ToHexString()
            : context.TraceIdentifier;

    private sealed class ProblemResult(int status, GatewayOrigin origin, string detail, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, origin, detail, retryAfter);
    }
}
