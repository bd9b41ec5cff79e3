namespace Gateway.Hosting;

/// <summary>
/// What a cleartext listener speaks. Kestrel cannot serve HTTP/1.1 and h2c on one cleartext port (no ALPN to choose by,
/// and it does not take the HTTP/1.1 Upgrade to h2c), so it is one or the other.
/// </summary>
public enum CleartextProtocol
{
    Http1,

    /// <summary>HTTP/2 with prior knowledge only (h2c), e.g. for gRPC inside a cluster; an HTTP/1.1 request is refused.</summary>
    Http2,
}
