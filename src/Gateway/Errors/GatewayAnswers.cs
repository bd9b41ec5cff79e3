using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using Gateway.Errors.StatusGuide;
using Gateway.Hosting;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Gateway.Errors;

/// <summary>
/// The one writer of gateway-made answers: records the decision (origin, Proxy-Status error type, Retry-After), then
/// writes it in the representation the request asks for (<see cref="AnswerFormat"/>): RFC 9457 problem+json with
/// traceId and origin, an HTML page for a browser, or a gRPC trailers-only status for a gRPC call. Never internal detail.
/// </summary>
public static class GatewayAnswers
{
    /// <summary>Headers already set (WWW-Authenticate, RateLimit, Allow) are kept; callers clear what must not survive.</summary>
    public static Task WriteAsync(HttpContext context, GatewayDecision decision)
    {
        Record(context, decision);
        var format = FormatFor(context.Request);
        if (format == AnswerFormat.Grpc)
        {
            WriteGrpc(context, decision);
            return Task.CompletedTask;
        }

        context.Features.Set(new GatewayDecisionFeature(decision, decision.Status));
        // The body depends on Accept: a cache must not hand a browser's page to a script, or the reverse.
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        var type = StatusGuideEndpoints.TypeUri(decision.Status, decision.Origin, context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId,
            ListenerFeature.Of(context) == GatewayListener.Admin);
        return format switch
        {
            AnswerFormat.Html => WriteHtmlAsync(context, decision, type),
            _ => WriteProblemAsync(context, decision, type),
        };
    }

    /// <summary>The same answer as an <see cref="IResult"/>, for endpoint handlers.</summary>
    public static IResult Result(GatewayDecision decision) => new DecisionResult(decision);

    /// <summary>
    /// A decision answered without a body of the gateway's (a redirect's 3xx, its Location set by the step; an escaped
    /// exception's 500, which Kestrel writes): status, origin and Retry-After only.
    /// </summary>
    public static void Record(HttpContext context, GatewayDecision decision)
    {
        context.SetOrigin(decision.Origin);
        context.Response.StatusCode = decision.Status;
        if (decision.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.Text(wait);
        }
    }

    /// <summary>
    /// gRPC for a gRPC call (its client reads no body); else HTML when the client prefers it over JSON (browsers),
    /// problem+json otherwise (curl sends */*).
    /// </summary>
    public static AnswerFormat FormatFor(HttpRequest request)
    {
        // application/grpc, application/grpc+proto, application/grpc-web are all gRPC calls; grpc-web reads
        // grpc-status from the headers as well.
        if (request.ContentType is { } contentType && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            return AnswerFormat.Grpc;
        }

        // Most clients send no Accept or none naming HTML: no parsing for them.
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !accept.Any(value => value is not null && value.Contains("html", StringComparison.OrdinalIgnoreCase)))
        {
            return AnswerFormat.ProblemJson;
        }

        // The highest quality of HTML or JSON; at equal quality, the first listed.
        var preferred = request.GetTypedHeaders().Accept
            .OrderByDescending(range => range.Quality ?? 1)
            .FirstOrDefault(range => IsHtml(range.MediaType) || IsAny(range.MediaType, "application/json", "application/problem+json"));
        return preferred is not null && IsHtml(preferred.MediaType) ? AnswerFormat.Html : AnswerFormat.ProblemJson;
    }

    private static bool IsHtml(StringSegment mediaType) => IsAny(mediaType, "text/html", "application/xhtml+xml");

    // Media types are case-insensitive (RFC 9110 §8.3.1).
    private static bool IsAny(StringSegment mediaType, string one, string other) =>
        mediaType.Equals(one, StringComparison.OrdinalIgnoreCase) || mediaType.Equals(other, StringComparison.OrdinalIgnoreCase);

    /// <summary>The W3C trace id when a trace is running (the id an OTLP backend shows), else the request's id.</summary>
    public static void AddTraceId(HttpContext context, ProblemDetails problem) => problem.Extensions["traceId"] = TraceId(context);

    private static string TraceId(HttpContext context) =>
        Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C ? activity.TraceId.ToHexString() : context.TraceIdentifier;

    private static Task WriteProblemAsync(HttpContext context, GatewayDecision decision, string type)
    {
        var problem = new ProblemDetails
        {
            Status = decision.Status,
            Title = ReasonPhrases.GetReasonPhrase(decision.Status),
            // Resolves on this gateway: what the code means and why this route produced it.
            Type = type,
            Detail = decision.Detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["origin"] = decision.Origin.ToLabel();
        AddTraceId(context, problem);
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    private static Task WriteHtmlAsync(HttpContext context, GatewayDecision decision, string type)
    {
        var e = HtmlEncoder.Default;
        var title = e.Encode($"{decision.Status} {ReasonPhrases.GetReasonPhrase(decision.Status)}");
        var wait = decision.RetryAfter is { } retryAfter
            ? string.Create(CultureInfo.InvariantCulture, $"<p>Try again in {RetryAfterSeconds.Of(retryAfter)} s.</p>")
            : "";
        var page = string.Create(CultureInfo.InvariantCulture, $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}</style>
            </head><body>
            <h1>{{title}}</h1>
            <p>{{e.Encode(decision.Detail)}}</p>{{wait}}
            <p>Answered by the gateway for <code>{{e.Encode(context.Request.Path.Value ?? "/")}}</code>: origin <code>{{e.Encode(decision.Origin.ToLabel())}}</code>, trace id <code>{{e.Encode(TraceId(context))}}</code>.</p>
            <p><a href="{{e.Encode(type)}}">What {{decision.Status}} means here, and what to do</a></p>
            </body></html>
            """);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(page);
    }

    /// <summary>
    /// Trailers-only (gRPC over HTTP/2 spec): HTTP 200, the status and message as headers, no body. The decision's
    /// status stays what metrics' origin and Proxy-Status report; the HTTP status sent, 200, is what they count.
    /// </summary>
    private static void WriteGrpc(HttpContext context, GatewayDecision decision)
    {
        var route = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config;
        var asUnavailable = route?.Metadata?.GetValueOrDefault(GrpcStatusCodes.RateLimitCodeMetadataKey) is { } code
            && code.Equals("Unavailable", StringComparison.OrdinalIgnoreCase);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = GrpcStatusCodes.For(decision.Origin, decision.Status, asUnavailable).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = GrpcStatusCodes.PercentEncode(decision.Detail);
        if (decision.RetryAfter is { } wait)
        {
            // gRPC's retry throttling reads this, not Retry-After (gRFC A6).
            response.Headers["grpc-retry-pushback-ms"] = ((long)RetryAfterSeconds.Of(wait) * 1000).ToString(CultureInfo.InvariantCulture);
        }

        context.Features.Set(new GatewayDecisionFeature(decision, StatusCodes.Status200OK));
    }

    private sealed class DecisionResult(GatewayDecision decision) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, decision);
    }
}
