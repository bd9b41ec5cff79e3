namespace Gateway.Hosting;

public sealed class GatewayUrls
{
    public string? Public { get; init; }

    public string? Admin { get; init; }
}
