using System.Text.RegularExpressions;

namespace Gateway.Errors;

/// <summary>The <c>ProxyStatus</c> section (applies live): how the gateway names itself in <c>Proxy-Status</c> and what more it tells.</summary>
public sealed partial class ProxyStatusOptions
{
    public const string SectionName = "ProxyStatus";

    /// <summary>The gateway's member name (an RFC 8941 sf-token), e.g. a replica or product name.</summary>
    public string Name { get; init; } = "gateway";

    /// <summary>Adds <c>next-hop="host:port"</c>, the destination asked. Off: it names internal hosts.</summary>
    public bool NextHop { get; init; }

    /// <summary>Adds <c>details="..."</c>, the forwarding failure or the problem's detail. Off: it can name internal hosts.</summary>
    public bool Details { get; init; }

    internal IEnumerable<string> Problems()
    {
        if (!IsToken(Name))
        {
            yield return $"Name: '{Name}' is not a structured-field token (RFC 8941 §3.3.4): a letter or '*', then letters, digits and !#$%&'*+-.^_`|~:/";
        }
    }

    internal static bool IsToken(string? value) => value is not null && Token().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*\z")]
    private static partial Regex Token();
}
