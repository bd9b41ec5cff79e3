using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gateway.Observability;

/// <summary>
/// The OpenTelemetry HTTP server tags of the request's span, the ones ASP.NET Core's hosting writes, set when the response
/// is recorded and only on a span that is recorded. Hosting's own (runtime switch SuppressActivityOpenTelemetryData=false)
/// computes its start tags for every request, sampled or not, so that a sampler may read them: 16,000 instructions per
/// request that 1% head sampling could not save (callgrind, docs/instructions-findings.md). The gateway's sampler reads
/// none, so the host projects set the switch to true and this writes the same tags for the spans that are kept.
/// </summary>
internal static class ServerSpanTags
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

    public static void Set(HttpContext context, int status, Exception? escaped)
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is not { IsAllDataRequested: true } span)
        {
            return;
        }

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
        span.SetTag("http.response.status_code", (uint)status < BoxedStatusCodes.Length ? BoxedStatusCodes[status] ??= status : status);
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

        if (escaped is not null)
        {
            span.SetTag("error.type", escaped.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error, escaped.Message);
        }
        else if (status >= 500)
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
