using System.Globalization;

namespace Gateway.Utilities;

/// <summary>The one rounding of a wait into delay-seconds (RFC 9110 §10.2.3), for Retry-After and the RateLimit header's t.</summary>
public static class RetryAfterSeconds
{
    /// <summary>Whole seconds, rounded up, at least 1: "0" would invite a client to retry at once.</summary>
    public static int Of(TimeSpan wait) => (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, int.MaxValue);

    /// <summary><see cref="Of"/> as the header's text.</summary>
    public static string Text(TimeSpan wait) => Of(wait).ToString(CultureInfo.InvariantCulture);
}
