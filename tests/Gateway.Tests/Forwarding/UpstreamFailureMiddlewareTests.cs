using Gateway.Errors;
using Gateway.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Forwarding;

public sealed class UpstreamFailureMiddlewareTests
{
    [Theory]
    [InlineData(ForwarderError.Request, 502, false, 502, GatewayOrigin.Unreachable)]
    [InlineData(ForwarderError.ResponseHeaders, 502, false, 502, GatewayOrigin.Unreachable)]
    [InlineData(ForwarderError.RequestCreation, 502, false, 502, GatewayOrigin.Gateway)]
    [InlineData(ForwarderError.RequestTimedOut, 504, false, 504, GatewayOrigin.Timeout)]
    [InlineData(ForwarderError.RequestCanceled, 400, true, 504, GatewayOrigin.Timeout)]
    [InlineData(ForwarderError.RequestBodyDestination, 504, false, 504, GatewayOrigin.Timeout)]
    [InlineData(ForwarderError.RequestBodyDestination, 502, false, 502, GatewayOrigin.Unreachable)]
    [InlineData(ForwarderError.RequestBodyClient, 408, false, 408, GatewayOrigin.Limits)] // Kestrel's verdict, decided in Limits
    [InlineData(ForwarderError.RequestBodyClient, 413, false, 413, GatewayOrigin.Limits)]
    [InlineData(ForwarderError.RequestBodyClient, 400, false, 400, GatewayOrigin.Gateway)]
    [InlineData(ForwarderError.NoAvailableDestinations, 503, false, 503, GatewayOrigin.NoHealthy)]
    public void Each_forwarder_failure_has_one_status_and_origin(ForwarderError error, int yarpStatus, bool routeTimeoutFired, int status, GatewayOrigin origin)
    {
        var decision = UpstreamFailureMiddleware.Decide(error, yarpStatus, routeTimeoutFired);

        Assert.NotNull(decision);
        Assert.Equal(status, decision.Value.Status);
        Assert.Equal(origin, decision.Value.Origin);
    }

    [Theory]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.ResponseBodyDestination)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    public void A_client_that_left_or_a_started_response_gets_no_gateway_answer(ForwarderError error) =>
        Assert.Null(UpstreamFailureMiddleware.Decide(error, 400, routeTimeoutFired: false));
}
