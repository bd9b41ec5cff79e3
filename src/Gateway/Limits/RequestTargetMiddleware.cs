using System.Buffers;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Gateway.Limits;

/// <summary>
/// Kestrel lets a bare CR or other control character through in the request target (RFC 9112 §2.2 says reject), and
/// any control character but NUL, CR and LF through in a header value (RFC 9110 §5.5 allows none but HTAB): refuse
/// both with 400 before routing, so they never reach a route, a log line or an upstream.
/// </summary>
internal sealed class RequestTargetMiddleware(RequestDelegate next)
{
    /// <summary>C0 controls and DEL: one vectorized pass over the target.</summary>
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(code => (char)code), '\u007f']);

    /// <summary>The same without HTAB, which a field value may contain.</summary>
    private static readonly SearchValues<char> FieldControlCharacters = SearchValues.Create([.. Enumerable.Range(0, 0x20).Where(code => code != '\t').Select(code => (char)code), '\u007f']);

    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is null || target.AsSpan().ContainsAny(ControlCharacters))
        {
            return GatewayAnswers.WriteAsync(context, new(StatusCodes.Status400BadRequest, GatewayOrigin.Limits, "The request target contains a control character."));
        }

        return HeaderWithControlCharacter(context.Request.Headers) is { } name
            ? GatewayAnswers.WriteAsync(context, new(StatusCodes.Status400BadRequest, GatewayOrigin.Limits, $"The value of the request header '{name}' contains a control character."))
            : next(context);
    }

    /// <summary>
    /// One pass over every value. Enumerating the header dictionary through its interface boxes an enumerator per
    /// request; copying it into a pooled array does not allocate.
    /// </summary>
    private static string? HeaderWithControlCharacter(IHeaderDictionary headers)
    {
        var count = headers.Count;
        var copy = ArrayPool<KeyValuePair<string, StringValues>>.Shared.Rent(count);
        try
        {
            headers.CopyTo(copy, 0);
            foreach (var (name, values) in copy.AsSpan(0, count))
            {
                foreach (var value in values)
                {
                    if (value.AsSpan().ContainsAny(FieldControlCharacters))
                    {
                        return name;
                    }
                }
            }

            return null;
        }
        finally
        {
            ArrayPool<KeyValuePair<string, StringValues>>.Shared.Return(copy, clearArray: true);
        }
    }
}
