using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using OpenTelemetry;

namespace Gateway.Observability;

/// <summary>
/// The OpenTelemetry HTTP server tags of the request's span, set when the span ends and only on a span that is recorded
/// (OpenTelemetry runs processors for those alone). ASP.NET Core's hosting (runtime switch
/// SuppressActivityOpenTelemetryData=false) computes its start tags for every request, sampled or not, so that a
/// sampler may read them: 1% head sampling could not save them (callgrind, docs/instructions-findings.md). The gateway's
/// sampler reads none, so the host projects set the switch to true and this writes those tags, and the end tags .NET 10's
/// hosting leaves out (status, route, display name, error), for every answer of the public port: a host-filtering 400
/// before the gateway's pipeline included. Hosting stops the span before it clears the request from
/// <see cref="IHttpContextAccessor"/> (TracingTests pins it).
/// </summary>
internal sealed class ServerSpanTags(IHttpContextAccessor requests) : BaseProcessor<Activity>
{
    private static readonly object[] BoxedStatusCodes = new object[600];
    private static readonly object HttpPort = 80;
    private static readonly object HttpsPort = 443;

    /// <summary>As semantic conventions ask: a method outside this set is "_OTHER", with the one sent as method_original.</summary>
    private static readonly Dictionary<string, string> KnownMethods = new[]
    {
        HttpMethods.Connect, HttpMethods.Delete, HttpMethods.Get, HttpMethods.Head, HttpMethods.Options, HttpMethods.Patch,
        HttpMethods.Post, HttpMethods.Put, HttpMethods.Trace,
    }.ToDictionary(method => method, StringComparer.OrdinalIgnoreCase);

    public override void OnEnd(Activity data)
    {
        if (data.Kind == ActivityKind.Server && requests.HttpContext is { } context
            && ReferenceEquals(context.Features.Get<IHttpActivityFeature>()?.Activity, data))
        {
            Set(data, context);
        }
    }

    /// <summary>An exception that escaped the pipeline (ResponseRecorder sees it; hosting's end of the request does too).</summary>
    public static void Escaped(Activity? span, Exception exception)
    {
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("error.type", exception.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error, exception.Message);
        }
    }

    private static void Set(Activity span, HttpContext context)
    {
        var request = context.Request;
        if (request.Host.HasValue)
        {
            span.SetTag("server.address", request.Host.Host);
            if (ServerPort(request.Host, request.Scheme) is { } port)
            {
                span.SetTag("server.port", port);
            }
        }

        var method = KnownMethods.GetValueOrDefault(request.Method, "_OTHER");
        span.SetTag("http.request.method", method);
        if (!string.Equals(method, request.Method, StringComparison.Ordinal))
        {
            span.SetTag("http.request.method_original", request.Method);
        }

        if (request.Headers.UserAgent is [{ Length: > 0 } userAgent, ..])
        {
            span.SetTag("user_agent.original", userAgent);
        }

        span.SetTag("url.scheme", request.Scheme);
        span.SetTag("url.path", request.PathBase.HasValue || request.Path.HasValue ? (request.PathBase + request.Path).ToString() : "/");
        // A client that left was sent nothing (the gateway counts it as 499): no status, rather than YARP's placeholder.
        var status = context.Response.StatusCode;
        var clientLeft = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted;
        if (!clientLeft)
        {
            span.SetTag("http.response.status_code", (uint)status < BoxedStatusCodes.Length ? BoxedStatusCodes[status] ??= status : status);
        }

        if (ProtocolVersion(request.Protocol) is { } version)
        {
            span.SetTag("network.protocol.version", version);
        }

        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var displayMethod = method == "_OTHER" ? "HTTP" : method;
        if (endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route is { } route)
        {
            route = route.Length == 0 ? "/" : route;
            span.SetTag("http.route", route);
            span.DisplayName = $"{displayMethod} {route}";
        }
        else
        {
            span.DisplayName = displayMethod;
        }

        if (span.Status != ActivityStatusCode.Error && !clientLeft && status >= 500)
        {
            span.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture));
            span.SetStatus(ActivityStatusCode.Error);
        }
    }

    private static object? ServerPort(HostString host, string scheme) =>
        host.Port is { } port ? port
        : string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase) ? HttpPort
        : string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? HttpsPort
        : null;

    private static string? ProtocolVersion(string protocol) =>
        HttpProtocol.IsHttp11(protocol) ? "1.1"
        : HttpProtocol.IsHttp2(protocol) ? "2"
        : HttpProtocol.IsHttp3(protocol) ? "3"
        : HttpProtocol.IsHttp10(protocol) ? "1.0"
        : HttpProtocol.IsHttp09(protocol) ? "0.9"
        : null;
}
