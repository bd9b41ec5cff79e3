namespace Gateway.Hosting;

/// <summary><c>Gateway:Protocols</c>: what the cleartext public listener speaks (read at start). The TLS listeners offer h2 and http/1.1 by ALPN.</summary>
public sealed class GatewayProtocols
{
    public CleartextProtocol Public { get; init; } = CleartextProtocol.Http1;
}
