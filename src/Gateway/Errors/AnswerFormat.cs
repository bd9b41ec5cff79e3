namespace Gateway.Errors;

/// <summary>
/// The representations of a gateway answer; <see cref="GatewayAnswers.FormatFor"/> picks one by the request.
/// The next one is gRPC (a request with content-type <c>application/grpc*</c>: a trailers-only answer with
/// <c>grpc-status</c> and <c>grpc-message</c>): a member here, a branch there, and one writer method.
/// </summary>
public enum AnswerFormat
{
    /// <summary>RFC 9457 problem+json: anything that does not prefer HTML (no Accept, */*, application/json, curl).</summary>
    ProblemJson,

    /// <summary>A small HTML page, for a client whose Accept prefers text/html over JSON (a browser).</summary>
    Html,
}
