using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Utilities;

/// <summary>
/// The one way a value the gateway did not write itself (a client's path, a neighbour's text, an exception's message)
/// goes into a log line: a CR, LF, ESC or other control character would let its sender end the line and forge the next
/// one, or drive the operator's terminal. Escaped C-style, with the backslash doubled, so the line reads back unambiguously.
/// </summary>
internal static class LogText
{
    /// <summary>C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidi overrides, and the escape character itself.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Concat(Enumerable.Range(0x2028, 7)).Concat(Enumerable.Range(0x2066, 4)).Select(code => (char)code), '\\']);

    /// <summary>The value with every control character escaped; the same string when there is none (the usual case).</summary>
    public static string Escape(string? value)
    {
        if (value is null || value.AsSpan().IndexOfAny(Escaped) is not (var first and >= 0))
        {
            return value ?? "";
        }

        var escaped = new StringBuilder(value.Length + 8).Append(value, 0, first);
        foreach (var character in value.AsSpan(first))
        {
            _ = character switch
            {
                '\\' => escaped.Append(@"\\"),
                '\r' => escaped.Append(@"\r"),
                '\n' => escaped.Append(@"\n"),
                '\t' => escaped.Append(@"\t"),
                _ when Escaped.Contains(character) => escaped.Append(@"\u").Append(((int)character).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(character),
            };
        }

        return escaped.ToString();
    }

    /// <summary>A request path as it travels in a URI (percent-encoded, as an upstream receives it): no space or control character can split the line's fields.</summary>
    public static string Path(PathString path) => path.HasValue ? path.ToUriComponent() : "/";
}
