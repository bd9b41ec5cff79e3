namespace Gateway.Errors;

/// <summary>A status the gateway decided, who decided it, and the problem's detail.</summary>
public readonly record struct GatewayDecision(int Status, GatewayOrigin Origin, string Detail);
