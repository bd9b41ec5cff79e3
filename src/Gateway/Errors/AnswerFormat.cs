namespace Gateway.Errors;

/// <summary>
/// The representations of a gateway answer; <see cref="GatewayAnswers.FormatFor"/> picks one by the request.
/// A new one is a member here, a branch there, and one writer method.
/// </summary>
public enum AnswerFormat
{
    /// <summary>RFC 9457 problem+json: anything that does not prefer HTML (no Accept, */*, application/json, curl).</summary>
    ProblemJson,

    /// <summary>A small HTML page, for a client whose Accept prefers text/html over JSON (a browser).</summary>
    Html,

    /// <summary>
    /// A gRPC call (content-type <c>application/grpc*</c>): a trailers-only answer, HTTP 200 with <c>grpc-status</c> and
    /// <c>grpc-message</c> in the headers and no body (gRPC clients read only those; docs/grpc.md).
    /// </summary>
    Grpc,
}
