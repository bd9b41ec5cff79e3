using Gateway.Errors;

namespace Gateway.Tests.Errors;

public sealed class GrpcStatusCodesTests
{
    [Theory]
    [InlineData(GatewayOrigin.RateLimit, 429, false, GrpcStatusCodes.ResourceExhausted)]
    [InlineData(GatewayOrigin.RateLimit, 429, true, GrpcStatusCodes.Unavailable)]
    [InlineData(GatewayOrigin.RateLimit, 503, false, GrpcStatusCodes.Unavailable)] // its store is down
    [InlineData(GatewayOrigin.Maintenance, 503, false, GrpcStatusCodes.Unavailable)]
    [InlineData(GatewayOrigin.Overload, 503, false, GrpcStatusCodes.Unavailable)]
    [InlineData(GatewayOrigin.NoHealthy, 503, false, GrpcStatusCodes.Unavailable)]
    [InlineData(GatewayOrigin.Unreachable, 502, false, GrpcStatusCodes.Unavailable)]
    [InlineData(GatewayOrigin.Timeout, 504, false, GrpcStatusCodes.DeadlineExceeded)]
    [InlineData(GatewayOrigin.Auth, 401, false, GrpcStatusCodes.Unauthenticated)]
    [InlineData(GatewayOrigin.Auth, 403, false, GrpcStatusCodes.PermissionDenied)]
    [InlineData(GatewayOrigin.NoRoute, 404, false, GrpcStatusCodes.Unimplemented)]
    [InlineData(GatewayOrigin.NoRoute, 405, false, GrpcStatusCodes.Unimplemented)]
    [InlineData(GatewayOrigin.Limits, 413, false, GrpcStatusCodes.ResourceExhausted)]
    [InlineData(GatewayOrigin.Limits, 400, false, GrpcStatusCodes.InvalidArgument)]
    [InlineData(GatewayOrigin.Limits, 431, false, GrpcStatusCodes.Unknown)]
    [InlineData(GatewayOrigin.Gateway, 500, false, GrpcStatusCodes.Internal)]
    [InlineData(GatewayOrigin.Gateway, 400, false, GrpcStatusCodes.Internal)] // http-grpc-status-mapping
    public void Each_origin_has_its_grpc_status(GatewayOrigin origin, int status, bool asUnavailable, int expected) =>
        Assert.Equal(expected, GrpcStatusCodes.For(origin, status, asUnavailable));

    [Theory]
    [InlineData("plain text stays", "plain text stays")]
    [InlineData("100% sure", "100%25 sure")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("line\nbreak", "line%0Abreak")]
    public void The_message_is_percent_encoded_as_the_grpc_spec_says(string message, string expected) =>
        Assert.Equal(expected, GrpcStatusCodes.PercentEncode(message));
}
