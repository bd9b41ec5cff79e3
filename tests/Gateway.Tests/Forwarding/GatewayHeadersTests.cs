using Gateway.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Forwarding;

public sealed class GatewayHeadersTests
{
    [Fact]
    public void Clearing_back_keeps_the_headers_taken_and_drops_the_rest()
    {
        var response = new DefaultHttpContext().Response;
        response.Headers["RateLimit"] = "\"search\";r=9;t=10";
        using var gatewayHeaders = GatewayHeaders.Take(response);
        response.Headers["RateLimit"] = "\"upstream\";r=0;t=1"; // an upstream's own, copied by YARP
        response.Headers["X-Upstream"] = "half-read";
        response.StatusCode = 502;

        gatewayHeaders.ClearBackTo(response);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("\"search\";r=9;t=10", response.Headers["RateLimit"].ToString());
        Assert.Single(response.Headers);
    }

    [Fact]
    public void With_no_headers_taken_it_clears_everything()
    {
        var response = new DefaultHttpContext().Response;
        using var gatewayHeaders = GatewayHeaders.Take(response);
        response.Headers["X-Upstream"] = "half-read";

        gatewayHeaders.ClearBackTo(response);

        Assert.Empty(response.Headers);
    }
}
