using Microsoft.AspNetCore.Builder;

namespace Gateway.Forwarding;

public static class ForwardingExtensions
{
    /// <summary>Outermost in the proxy pipeline: 502/503/504 for failed forwards (<see cref="UpstreamFailureMiddleware"/>).</summary>
    public static IReverseProxyApplicationBuilder UseUpstreamFailures(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<UpstreamFailureMiddleware>();
        return proxy;
    }
}
