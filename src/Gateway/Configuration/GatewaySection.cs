namespace Gateway.Configuration;

/// <summary>A section of the config file a feature reads and checks, recorded once by <see cref="GatewaySectionExtensions"/>.</summary>
public sealed record GatewaySection(string Name, Type OptionsType);
