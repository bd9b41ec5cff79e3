namespace Gateway.Errors;

/// <summary>The decision <see cref="GatewayAnswers"/> wrote, for <c>Proxy-Status</c> (its error type and, when turned on, its detail).</summary>
internal sealed class GatewayDecisionFeature(GatewayDecision decision, int sentStatus)
{
    public GatewayDecision Decision { get; } = decision;

    /// <summary>The HTTP status written: the decision's, or 200 for a gRPC call's trailers-only answer.</summary>
    public int SentStatus { get; } = sentStatus;
}
