using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Errors.StatusGuide;

/// <summary>
/// <c>/_gateway/status</c> and <c>/_gateway/status/{code}</c> on the public port: the page every gateway-made
/// problem's <c>type</c> points to. No key, never rate-limited or in maintenance (those gate proxied routes only).
/// </summary>
public static class StatusGuideEndpoints
{
    public const string BasePath = "/_gateway/status";

    public static string TypeUri(int status, GatewayOrigin origin, string? routeId, bool adminPort = false) =>
        adminPort
            ? $"{BasePath}/{status}"
            : routeId is null
            ? $"{BasePath}/{status}?origin={origin.ToLabel()}"
            : $"{BasePath}/{status}?origin={origin.ToLabel()}&route={Uri.EscapeDataString(routeId)}";

    public static IEndpointRouteBuilder MapStatusGuide(this IEndpointRouteBuilder endpoints)
    {
        var guide = endpoints.MapGroup(BasePath).WithMetadata(ListenerMetadata.Both);
        guide.MapGet("", (HttpContext context, StatusGuideBook book) => WantsHtml(context.Request)
            ? Html(ListPage(book))
            : Results.Json(new
            {
                classes = book.Codes.GroupBy(entry => entry.StatusClass).Select(group => new
                {
                    @class = group.Key,
                    codes = group.Select(entry => new { entry.Code, entry.Reason, entry.Summary, href = $"{BasePath}/{entry.Code}" }),
                }),
            }));
        guide.MapGet("/{code:int}", (int code, string? origin, string? route, HttpContext context, StatusGuideBook book, StatusFacts facts, ProxyStatusMembers members) =>
        {
            if (!book.ByCode.TryGetValue(code, out var entry))
            {
                return GatewayAnswers.Result(new(StatusCodes.Status404NotFound, GatewayOrigin.NoRoute, $"The guide has no page for {code}; see {BasePath} for the codes it explains."));
            }

            var live = new Lazy<Dictionary<string, string>>(() => facts.Facts(route, ListenerFeature.Of(context) == GatewayListener.Admin));
            var explanation = origin is not null && entry.Origins.TryGetValue(origin, out var text) ? StatusFacts.Fill(text, live.Value) : null;
            // The header this answer carried (through the public port), by the origin table.
            var proxyStatus = explanation is null ? null : members.Current.GuideLine(origin!, code);
            // What a gRPC call gets instead of this status (docs/grpc.md), for a gateway origin.
            // An unknown label finds Upstream, which has none.
            var decider = Enum.GetValues<GatewayOrigin>().FirstOrDefault(o => o.ToLabel() == origin);
            var grpcStatus = explanation is null || decider is GatewayOrigin.Upstream or GatewayOrigin.Cache or GatewayOrigin.Client or GatewayOrigin.Redirect
                ? null
                : GrpcStatusCodes.Text(GrpcStatusCodes.For(decider, code));
            var beforeGateway = entry.BeforeGateway is { } kestrelText ? StatusFacts.Fill(kestrelText, live.Value) : null;
            return WantsHtml(context.Request)
                ? Html(CodePage(entry, origin, route, explanation, proxyStatus, grpcStatus, beforeGateway))
                : Results.Json(new
                {
                    entry.Code,
                    entry.Reason,
                    @class = entry.StatusClass,
                    entry.Summary,
                    entry.Meaning,
                    entry.WhoActs,
                    entry.WhatToDo,
                    entry.Headers,
                    reachedFrom = explanation is null ? null : new { origin, route, explanation, proxyStatus, grpcStatus },
                    beforeGateway,
                    origins = entry.Origins.Keys,
                    list = BasePath,
                });
        });
        return endpoints;
    }

    /// <summary>HTML when the client prefers it (browsers), JSON otherwise: the same choice as the gateway's answers.</summary>
    private static bool WantsHtml(HttpRequest request) => GatewayAnswers.FormatFor(request) == AnswerFormat.Html;

    private static IResult Html(string body)
    {
        const string Head = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>HTTP status guide</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}
            .why{border-left:4px solid #0969da;background:#f6f8fa;padding:.5rem 1rem}th,td{text-align:left;padding:.3rem .5rem;vertical-align:top}</style>
            </head><body>
            """;
        var page = Head + body + "</body></html>";
        return Results.Content(page, "text/html; charset=utf-8");
    }

    private static string CodePage(StatusEntry entry, string? origin, string? route, string? explanation, string? proxyStatus, string? grpcStatus, string? beforeGateway)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{BasePath}\">All status codes</a></p><h1>{entry.Code} {e.Encode(entry.Reason)}</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p><strong>{e.Encode(entry.Summary)}</strong></p><p>{e.Encode(entry.Meaning)}</p>");
        if (explanation is not null)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<section class=\"why\"><h2>Why you got it here</h2><p>Origin <code>{e.Encode(origin!)}</code>{(route is null ? "" : $", route <code>{e.Encode(route)}</code>")}.</p><p>{e.Encode(explanation)}</p>{(proxyStatus is null ? "" : $"<p>Proxy-Status: <code>{e.Encode(proxyStatus)}</code></p>")}{(grpcStatus is null ? "" : $"<p>A gRPC call gets HTTP 200 with <code>grpc-status: {e.Encode(grpcStatus)}</code> instead.</p>")}</section>");
        }

        if (beforeGateway is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Made by Kestrel before the gateway</h2><p>{e.Encode(beforeGateway)}</p>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Who should act</h2><p>{e.Encode(entry.WhoActs)}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<h2>What to do</h2><p><strong>Client:</strong> {e.Encode(entry.WhatToDo.Client)}</p><p><strong>Server:</strong> {e.Encode(entry.WhatToDo.Server)}</p>");
        if (entry.Headers.Count > 0)
        {
            html.Append("<h2>Headers that matter</h2><table><tbody>");
            foreach (var header in entry.Headers)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\"><code>{e.Encode(header.Name)}</code></th><td>{e.Encode(header.Why)}</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        return html.ToString();
    }

    private static string ListPage(StatusGuideBook book)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder("<h1>HTTP status codes: the quick reference</h1>");
        foreach (var group in book.Codes.GroupBy(entry => entry.StatusClass))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{e.Encode(group.Key)}</h2><ul>");
            foreach (var entry in group)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{BasePath}/{entry.Code}\">{entry.Code} {e.Encode(entry.Reason)}</a>: {e.Encode(entry.Summary)}</li>");
            }

            html.Append("</ul>");
        }

        return html.ToString();
    }
}
