using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Gateway.Redirects;

/// <summary>
/// A rule in force: its pattern parsed once, matched with ASP.NET Core routing's own TemplateMatcher. A value taken
/// from the request goes into <c>Location</c> percent-encoded for where it lands (path or query), so it can neither
/// add a header nor move the redirect to another host: only the destination as written decides that.
/// </summary>
internal sealed partial class RedirectRule
{
    /// <summary>C0 controls, DEL and the C1 controls: never in a header, refused in a matched value.</summary>
    private static readonly SearchValues<char> ControlCharacters =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(code => (char)code)]);

    private readonly TemplateMatcher _matcher;
    private readonly RedirectRuleOptions _settings;

    /// <summary>The destination cut at its placeholders: literal text, or a value's name and whether it lands in the query.</summary>
    private readonly (string Text, bool IsValue, bool InQuery)[] _parts;

    public RedirectRule(string name, RedirectRuleOptions settings)
    {
        Name = name;
        _settings = settings;
        _matcher = new TemplateMatcher(TemplateParser.Parse(settings.Path.TrimStart('/')), new RouteValueDictionary());
        _parts = Parts(settings.Destination);
    }

    public string Name { get; }

    /// <summary>The problems of a rule as written, each naming its field; empty when it can be used.</summary>
    public static IEnumerable<string> Problems(RedirectRuleOptions settings)
    {
        RoutePattern? pattern = null;
        string? parseError = null;
        try
        {
            pattern = RoutePatternFactory.Parse(settings.Path);
        }
        catch (RoutePatternException ex)
        {
            parseError = ex.Message;
        }

        if (string.IsNullOrWhiteSpace(settings.Path) || !settings.Path.StartsWith('/'))
        {
            yield return "Path: must start with '/'";
        }
        else if (parseError is not null)
        {
            yield return $"Path: not a route pattern: {parseError}";
        }
        else if (pattern?.Parameters.FirstOrDefault(parameter => parameter.ParameterPolicies.Count > 0) is { } constrained)
        {
            // TemplateMatcher matches the template only: "/users/{id:int}" would take /users/abc. Refused, not ignored.
            yield return $"Path: '{{{constrained.Name}:{string.Join(':', constrained.ParameterPolicies.Select(policy => policy.Content))}}}' has a constraint; redirect rules do not check constraints (remove it)";
        }

        if (string.IsNullOrWhiteSpace(settings.Destination))
        {
            yield return "Destination: required";
        }
        else if (settings.Destination.AsSpan().ContainsAny(ControlCharacters))
        {
            yield return "Destination: contains a control character";
        }
        else if (!IsPath(settings.Destination) && !IsAbsolute(Placeholder().Replace(settings.Destination, "x")))
        {
            yield return $"Destination: '{settings.Destination}' is neither a path starting with '/' nor an absolute URL";
        }
        else if (!IsPath(settings.Destination) && Authority(settings.Destination).Contains('{'))
        {
            // The host is the destination's to say, never the request's: "https://{rest}" would be an open redirect.
            yield return $"Destination: '{settings.Destination}' takes its host from the request; values may only follow the host's '/'";
        }

        var names = pattern?.Parameters.Select(parameter => parameter.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        foreach (var used in Placeholder().Matches(settings.Destination).Select(match => match.Groups[1].Value).Where(used => !names.Contains(used)))
        {
            yield return $"Destination: '{{{used}}}' is not a value of Path";
        }
    }

    /// <summary>
    /// The status and Location when the request matches; null otherwise. Location is null when a matched value holds a
    /// control character (the caller answers 400: no Location can carry it, and a CR or LF there would split the header).
    /// </summary>
    public (int Status, string? Location)? Match(HttpRequest request)
    {
        if (_settings.Hosts.Count > 0 && !_settings.Hosts.Contains(request.Host.Host, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var values = new RouteValueDictionary();
        if (!_matcher.TryMatch(request.Path, values))
        {
            return null;
        }

        // GET and HEAD may be redirected with the classic codes; anything else needs the ones that keep the method.
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var status = _settings.Permanent
            ? safe ? StatusCodes.Status301MovedPermanently : StatusCodes.Status308PermanentRedirect
            : safe ? StatusCodes.Status302Found : StatusCodes.Status307TemporaryRedirect;
        if (values.Values.Any(value => value?.ToString() is { } text && text.AsSpan().ContainsAny(ControlCharacters)))
        {
            return (status, null);
        }

        var location = new StringBuilder();
        foreach (var (text, isValue, inQuery) in _parts)
        {
            if (!isValue)
            {
                location.Append(text);
            }
            else if (values.TryGetValue(text, out var value) && value?.ToString() is { Length: > 0 } raw)
            {
                location.Append(inQuery ? Uri.EscapeDataString(raw) : PathValue(raw, location));
            }
        }

        // The query as it came: Kestrel refused a space or non-ASCII byte in it, the target check any control character.
        if (_settings.KeepQuery && request.QueryString.HasValue)
        {
            location.Append(_settings.Destination.Contains('?') ? '&' : '?').Append(request.QueryString.Value.AsSpan(1));
        }

        return (status, location.ToString());
    }

    /// <summary>
    /// A value as path: PathString's encoding (what YARP forwards), so '/' of a catch-all stays, '?', '#', '\', space and
    /// non-ASCII are escaped, and an already encoded octet (%2F) is kept. A value that would start the Location with "//"
    /// gets that slash encoded: a relative destination stays a path on this host.
    /// </summary>
    private static string PathValue(string raw, StringBuilder before)
    {
        var encoded = new PathString("/" + raw).ToUriComponent()[1..];
        return encoded.StartsWith('/') && before.Length == 1 && before[0] == '/' ? "%2F" + encoded[1..] : encoded;
    }

    /// <summary>A destination on this host: one '/' then a path, not "//host" (scheme-relative).</summary>
    private static bool IsPath(string destination) => destination.StartsWith('/') && !destination.StartsWith("//", StringComparison.Ordinal);

    /// <summary>An absolute URL, or a scheme-relative one ("//host/path": absolute once the client adds its scheme).</summary>
    private static bool IsAbsolute(string destination) =>
        destination.StartsWith("//", StringComparison.Ordinal)
            ? Uri.TryCreate("https:" + destination, UriKind.Absolute, out _)
            : !destination.StartsWith('/') && Uri.TryCreate(destination, UriKind.Absolute, out _);

    /// <summary>What stands between "//" and the next '/', '?' or '#' of an absolute or scheme-relative destination.</summary>
    private static string Authority(string destination)
    {
        var start = destination.IndexOf("//", StringComparison.Ordinal);
        if (start < 0)
        {
            // "mailto:{x}" and the like: no authority, the whole rest is the scheme's to read.
            return destination;
        }

        var rest = destination[(start + 2)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        return end < 0 ? rest : rest[..end];
    }

    private static (string Text, bool IsValue, bool InQuery)[] Parts(string destination)
    {
        var parts = new List<(string, bool, bool)>();
        var query = destination.IndexOfAny(['?', '#']) is var at and >= 0 ? at : destination.Length;
        var position = 0;
        foreach (Match placeholder in Placeholder().Matches(destination))
        {
            parts.Add((destination[position..placeholder.Index], false, false));
            parts.Add((placeholder.Groups[1].Value, true, placeholder.Index > query));
            position = placeholder.Index + placeholder.Length;
        }

        parts.Add((destination[position..], false, false));
        return [.. parts];
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
