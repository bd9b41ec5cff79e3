namespace Gateway.Hosting;

/// <summary><c>Gateway:Urls</c>: where the two listeners bind (read at start).</summary>
public sealed class GatewayUrls
{
    public string Public { get; init; } = "http://localhost:8080";

    public string Admin { get; init; } = "http://localhost:8081";
}
