using System.Text;

namespace Gateway.Errors;

/// <summary>
/// The origin -> gRPC status table for a gateway answer to a gRPC call (docs/grpc.md has it with the reasons), and the
/// spec's percent-encoding of <c>grpc-message</c>. The codes are the gRPC spec's numbers (Grpc.Core is not referenced).
/// </summary>
public static class GrpcStatusCodes
{
    public const int Unknown = 2;
    public const int InvalidArgument = 3;
    public const int DeadlineExceeded = 4;
    public const int PermissionDenied = 7;
    public const int ResourceExhausted = 8;
    public const int Unimplemented = 12;
    public const int Internal = 13;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    /// <summary>
    /// Route metadata: <c>Unavailable</c> answers a rate-limited call UNAVAILABLE (which clients retry) instead of
    /// RESOURCE_EXHAUSTED, as Envoy's <c>rate_limited_as_resource_exhausted: false</c>.
    /// </summary>
    public const string RateLimitCodeMetadataKey = "Gateway.RateLimitGrpcCode";

    /// <param name="rateLimitedAsUnavailable">The route's <see cref="RateLimitCodeMetadataKey"/> says <c>Unavailable</c>.</param>
    public static int For(GatewayOrigin origin, int status, bool rateLimitedAsUnavailable = false) => origin switch
    {
        // A 503 of the rate limiter is its store being unreachable, not a refusal.
        GatewayOrigin.RateLimit when status == 429 => rateLimitedAsUnavailable ? Unavailable : ResourceExhausted,
        GatewayOrigin.Maintenance or GatewayOrigin.Overload or GatewayOrigin.NoHealthy or GatewayOrigin.Unreachable => Unavailable,
        GatewayOrigin.Timeout => DeadlineExceeded,
        GatewayOrigin.Auth when status == 401 => Unauthenticated,
        GatewayOrigin.Auth when status == 403 => PermissionDenied,
        GatewayOrigin.NoRoute => Unimplemented,
        GatewayOrigin.Limits when status == 413 => ResourceExhausted,
        GatewayOrigin.Limits when status == 400 => InvalidArgument,
        GatewayOrigin.Gateway when status >= 500 => Internal,
        _ => ByHttpStatus(status),
    };

    /// <summary>The spec's name of a code this table gives, for the status guide ("14 UNAVAILABLE").</summary>
    public static string Text(int code) => code switch
    {
        InvalidArgument => "3 INVALID_ARGUMENT",
        DeadlineExceeded => "4 DEADLINE_EXCEEDED",
        PermissionDenied => "7 PERMISSION_DENIED",
        ResourceExhausted => "8 RESOURCE_EXHAUSTED",
        Unimplemented => "12 UNIMPLEMENTED",
        Internal => "13 INTERNAL",
        Unavailable => "14 UNAVAILABLE",
        Unauthenticated => "16 UNAUTHENTICATED",
        _ => "2 UNKNOWN",
    };

    /// <summary>grpc/grpc doc/http-grpc-status-mapping.md: what a client makes of an HTTP status without grpc-status.</summary>
    public static int ByHttpStatus(int status) => status switch
    {
        400 => Internal,
        401 => Unauthenticated,
        403 => PermissionDenied,
        404 => Unimplemented,
        429 or 502 or 503 or 504 => Unavailable,
        _ => Unknown,
    };

    /// <summary>
    /// The gRPC spec's Percent-Encoded grpc-message: UTF-8, each byte outside 0x20-0x7E and '%' itself as %XX.
    /// </summary>
    public static string PercentEncode(string message)
    {
        if (message.All(c => c is >= ' ' and <= '~' and not '%'))
        {
            return message;
        }

        var text = new StringBuilder(message.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
