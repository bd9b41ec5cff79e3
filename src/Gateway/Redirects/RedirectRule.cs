using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Gateway.Redirects;

/// <summary>A rule in force: its pattern parsed once, matched with ASP.NET Core routing's own TemplateMatcher.</summary>
internal sealed partial class RedirectRule
{
    private readonly TemplateMatcher _matcher;
    private readonly RedirectRuleOptions _settings;

    public RedirectRule(string name, RedirectRuleOptions settings)
    {
        Name = name;
        _settings = settings;
        _matcher = new TemplateMatcher(TemplateParser.Parse(settings.Path.TrimStart('/')), new RouteValueDictionary());
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

        if (string.IsNullOrWhiteSpace(settings.Destination))
        {
            yield return "Destination: required";
        }
        else if (!settings.Destination.StartsWith('/') && !Uri.TryCreate(Placeholder().Replace(settings.Destination, "x"), UriKind.Absolute, out _))
        {
            yield return $"Destination: '{settings.Destination}' is neither a path starting with '/' nor an absolute URL";
        }

        var names = pattern?.Parameters.Select(parameter => parameter.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        foreach (var used in Placeholder().Matches(settings.Destination).Select(match => match.Groups[1].Value).Where(used => !names.Contains(used)))
        {
            yield return $"Destination: '{{{used}}}' is not a value of Path";
        }
    }

    /// <summary>The status and Location when the request matches; null otherwise.</summary>
    public (int Status, string Location)? Match(HttpRequest request)
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

        var location = Placeholder().Replace(_settings.Destination, match =>
            values.TryGetValue(match.Groups[1].Value, out var value) && value is not null ? value.ToString()! : "");
        if (_settings.KeepQuery && request.QueryString.HasValue)
        {
            location += (location.Contains('?') ? "&" : "?") + request.QueryString.Value![1..];
        }

        // GET and HEAD may be redirected with the classic codes; anything else needs the ones that keep the method.
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var status = _settings.Permanent
            ? safe ? StatusCodes.Status301MovedPermanently : StatusCodes.Status308PermanentRedirect
            : safe ? StatusCodes.Status302Found : StatusCodes.Status307TemporaryRedirect;
        return (status, location);
    }

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
