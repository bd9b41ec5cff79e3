namespace Gateway.Errors;

/// <summary>
/// What a deciding step produced: the status, who decided it, why (the problem's detail), how long a client should wait,
/// and the RFC 9209 error type when the step knows better than the origin table (Forwarding tells refused from reset).
/// <see cref="GatewayAnswers"/> writes it.
/// </summary>
public readonly record struct GatewayDecision(int Status, GatewayOrigin Origin, string Detail, TimeSpan? RetryAfter = null, string? ErrorType = null)
{
    /// <summary>What <c>Proxy-Status</c> says after <c>error=</c>: the step's own type, else the origin table's.</summary>
    public string? ProxyError => ErrorType ?? ProxyErrorType.For(Origin, Status);
}
