using System.Text.Json;

namespace Gateway.Configuration;

/// <summary>
/// The one place that reads the English text of a framework's exception messages, for facts the exceptions do not
/// carry as properties. Each method quotes the template it reads; Gateway.Tests' FrameworkMessagesTests produces every
/// one from the real framework, so an upgrade that rewords a message fails a test instead of quietly losing detail.
/// </summary>
internal static class FrameworkMessages
{
    private const string UnknownPropertiesMarker = "were not found on the instance of ";

    private static readonly (string Phrase, string Key)[] PolicyKeys =
    [
        ("Authorization policy", "AuthorizationPolicy"),
        ("Timeout policy", "TimeoutPolicy"),
        ("CORS policy", "CorsPolicy"),
        ("OutputCache policy", "OutputCachePolicy"),
        ("RateLimiter policy", "RateLimiterPolicy"),
    ];

    /// <summary>
    /// The property names in Microsoft.Extensions.Configuration.Binder's Error_MissingConfig, "'{0}' was set on the
    /// provided {1}, but the following properties were not found on the instance of {2}: {3}", where {3} is
    /// "'Pth', 'Other'". Inside a dictionary the binder wraps it in a more general message (the inner exception).
    /// Empty when the exception is not that message.
    /// </summary>
    public static HashSet<string> UnknownConfigurationProperties(InvalidOperationException ex)
    {
        var message = ex.InnerException?.Message.Contains(UnknownPropertiesMarker, StringComparison.Ordinal) == true ? ex.InnerException.Message : ex.Message;
        var at = message.IndexOf(UnknownPropertiesMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        return message[(message.IndexOf(':', at + UnknownPropertiesMarker.Length) + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => name.Trim('\''))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The property in System.Text.Json's UnmappedJsonProperty, "The JSON property '{0}' could not be mapped to any
    /// .NET member contained in type '{1}'." (the type is ours and must not be echoed), or null for other messages.
    /// </summary>
    public static string? UnmappedJsonProperty(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal) && ex.Message.Split('\'') is { Length: > 2 } parts ? parts[1] : null;

    /// <summary>
    /// A System.Text.Json message without the position it appends, "{message} Path: {path} | LineNumber: {line} |
    /// BytePositionInLine: {byte}." (the reader's own errors have no Path part), for callers that say where themselves.
    /// </summary>
    public static string WithoutJsonPosition(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var at and >= 0 ? at : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }

    /// <summary>
    /// The route key a policy error of YARP's ConfigValidator is about: "Authorization policy '{0}' not found for
    /// route '{1}'.", likewise "Timeout policy", "CORS policy", "OutputCache policy", "RateLimiter policy" (and
    /// "Unable to retrieve the ... policy '{0}' for route '{1}'."); null for any other message.
    /// </summary>
    public static string? RoutePolicyKey(string message) =>
        PolicyKeys.FirstOrDefault(pair => message.Contains(pair.Phrase, StringComparison.OrdinalIgnoreCase)).Key;
}
