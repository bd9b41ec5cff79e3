using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Observability;

/// <summary>
/// The grpc-status of a gRPC response (content-type application/grpc*) as a bounded label: a gRPC error is an HTTP 200,
/// so the status code alone counts it as a success. Read from the trailers, or from the headers of a trailers-only answer.
/// </summary>
internal static class GrpcOutcome
{
    /// <summary>The 17 codes of grpc/grpc doc/statuscodes.md by number, then <see cref="Missing"/>.</summary>
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED", "missing",
    ];

    /// <summary>No grpc-status arrived (a reset stream, a client that left) or it was not one of the 17 codes.</summary>
    public const int Missing = 17;

    public static int Count => Names.Length;

    public static string Name(int index) => Names[index];

    public static bool IsGrpc(HttpResponse response) =>
        response.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>The index of the response's grpc-status in <see cref="Names"/>; call only for a gRPC response.</summary>
    public static int Status(HttpContext context)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var value = trailers is not null && trailers.TryGetValue("grpc-status", out var trailer) ? trailer : context.Response.Headers["grpc-status"];
        return value.Count == 1 && int.TryParse(value[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) && code < Missing
            ? code
            : Missing;
    }
}
