using System.Globalization;

namespace Gateway.Forwarding;

/// <summary>The <c>grpc-timeout</c> request header (gRPC over HTTP/2 spec): 1-8 digits and a unit, H M S m u n.</summary>
public static class GrpcTimeout
{
    public const string HeaderName = "grpc-timeout";

    /// <summary>The timeout, or null for a missing or invalid value (ignored, as the spec's servers do) or one too long to time.</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (value is null || value.Length is < 2 or > 9 || value.AsSpan(0, value.Length - 1).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var amount = long.Parse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture);
        TimeSpan? timeout = value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromTicks(amount * 10), // a tick is 100 ns
            'n' => TimeSpan.FromTicks((amount + 99) / 100),
            _ => null,
        };
        // A CancellationTokenSource times at most int.MaxValue ms (about 24 days): longer is no deadline in practice.
        return timeout is { } t && t.TotalMilliseconds <= int.MaxValue ? t : null;
    }
}
