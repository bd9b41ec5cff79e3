namespace Gateway.Clients;

/// <summary>Proxies in front of the gateway whose <c>X-Forwarded-For</c> is believed (<c>Gateway:TrustedProxies</c>, IPs or CIDR).</summary>
public sealed class TrustedProxyOptions
{
    public List<string> TrustedProxies { get; init; } = [];
}
