namespace Gateway.Errors;

/// <summary>The decision <see cref="GatewayAnswers"/> wrote, for <c>Proxy-Status</c> (its error type and, when turned on, its detail).</summary>
internal sealed class GatewayDecisionFeature(GatewayDecision decision)
{
    public GatewayDecision Decision { get; } = decision;
}
