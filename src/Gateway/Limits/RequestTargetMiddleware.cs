using System.Buffers;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Limits;

/// <summary>
/// Kestrel lets a bare CR or other control character through in the request target (RFC 9112 §2.2 says
/// reject): refuse it with 400 before routing, so it never reaches a route or an upstream.
/// </summary>
internal sealed class RequestTargetMiddleware(RequestDelegate next)
{
    /// <summary>C0 controls and DEL: one vectorized pass over the target.</summary>
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(code => (char)code), '\u007f']);

    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return target is not null && !target.AsSpan().ContainsAny(ControlCharacters)
            ? next(context)
            : GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, GatewayOrigin.Limits, "The request target contains a control character.");
    }
}
