using System.Net.Sockets;
using Gateway.Errors;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Errors;

/// <summary>The origin -> RFC 9209 error type table (the integration tests send each row through real HTTP).</summary>
public sealed class ProxyErrorTypeTests
{
    [Theory]
    [InlineData(GatewayOrigin.Timeout, 504, "http_response_timeout")]
    [InlineData(GatewayOrigin.NoHealthy, 503, "destination_unavailable")]
    [InlineData(GatewayOrigin.Overload, 503, "connection_limit_reached")]
    [InlineData(GatewayOrigin.RateLimit, 429, "http_request_denied")]
    [InlineData(GatewayOrigin.RateLimit, 503, "proxy_internal_error")] // the limiter's store is down
    [InlineData(GatewayOrigin.Auth, 401, "http_request_denied")]
    [InlineData(GatewayOrigin.Auth, 403, "http_request_denied")]
    [InlineData(GatewayOrigin.Admin, 429, "http_request_denied")]
    [InlineData(GatewayOrigin.NoRoute, 404, "destination_not_found")]
    [InlineData(GatewayOrigin.NoRoute, 405, "destination_not_found")]
    [InlineData(GatewayOrigin.Limits, 413, "http_request_error")]
    [InlineData(GatewayOrigin.Limits, 400, "http_request_error")]
    [InlineData(GatewayOrigin.Maintenance, 503, "proxy_internal_response")]
    [InlineData(GatewayOrigin.Redirect, 301, "proxy_internal_response")]
    [InlineData(GatewayOrigin.Redirect, 400, "http_request_error")] // a rule's refusal
    [InlineData(GatewayOrigin.Gateway, 500, "proxy_internal_error")]
    [InlineData(GatewayOrigin.Gateway, 502, "proxy_internal_error")] // an upstream request it could not build
    [InlineData(GatewayOrigin.Gateway, 400, "http_request_error")] // a body it could not read
    [InlineData(GatewayOrigin.Gateway, 200, "proxy_internal_response")] // a status guide page
    public void A_gateway_origin_maps_to_its_error_type(GatewayOrigin origin, int status, string expected) =>
        Assert.Equal(expected, ProxyErrorType.For(origin, status));

    [Theory]
    [InlineData(GatewayOrigin.Upstream)]
    [InlineData(GatewayOrigin.Cache)]
    [InlineData(GatewayOrigin.Client)]
    public void Answers_the_gateway_did_not_make_have_no_error(GatewayOrigin origin) =>
        Assert.Null(ProxyErrorType.For(origin, 200));

    [Fact]
    public void Every_origin_is_in_the_table()
    {
        foreach (var origin in Enum.GetValues<GatewayOrigin>())
        {
            var type = ProxyErrorType.For(origin, 502);
            Assert.True(type is null || ProxyErrorType.All.Contains(type), $"{origin}: {type} is not in ProxyErrorType.All");
        }
    }

    public static TheoryData<string, ForwarderError, Exception?, string> Failures() => new()
    {
        { "refused", ForwarderError.Request, Wrapped(HttpRequestError.ConnectionError, new SocketException((int)SocketError.ConnectionRefused)), "connection_refused" },
        { "reset", ForwarderError.Request, Wrapped(HttpRequestError.Unknown, new IOException("reset", new SocketException((int)SocketError.ConnectionReset))), "connection_terminated" },
        { "closed early", ForwarderError.Request, Wrapped(HttpRequestError.ResponseEnded, null), "connection_terminated" },
        { "not HTTP", ForwarderError.Request, Wrapped(HttpRequestError.Unknown, new HttpIOException(HttpRequestError.InvalidResponse)), "http_protocol_error" },
        { "invalid response", ForwarderError.Request, Wrapped(HttpRequestError.InvalidResponse, null), "http_protocol_error" },
        { "unknown host", ForwarderError.Request, Wrapped(HttpRequestError.NameResolutionError, null), "dns_error" },
        { "no route to host", ForwarderError.Request, Wrapped(HttpRequestError.ConnectionError, new SocketException((int)SocketError.HostUnreachable)), "destination_ip_unroutable" },
        { "TLS", ForwarderError.Request, Wrapped(HttpRequestError.SecureConnectionError, null), "tls_protocol_error" },
        { "headers too large", ForwarderError.Request, Wrapped(HttpRequestError.ConfigurationLimitExceeded, null), "http_response_header_section_size" },
        { "body write broke", ForwarderError.RequestBodyDestination, new IOException("broken pipe"), "connection_terminated" },
        { "unclassified", ForwarderError.ResponseHeaders, new InvalidOperationException("?"), "http_protocol_error" },
        { "no exception", ForwarderError.Request, null, "http_protocol_error" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void An_unreachable_upstream_is_split_by_the_failure(string name, ForwarderError error, Exception? exception, string expected) =>
        Assert.True(expected == ProxyErrorType.For(GatewayOrigin.Unreachable, 502, new Failure(error, exception)), name);

    [Theory]
    [InlineData("gateway", true)]
    [InlineData("edge-1.example:8080/a", true)]
    [InlineData("*x", true)]
    [InlineData("", false)]
    [InlineData("my gateway", false)]
    [InlineData("1st", false)]
    [InlineData("\"quoted\"", false)]
    [InlineData("naïve", false)]
    public void The_name_must_be_a_token(string name, bool valid)
    {
        Assert.Equal(valid, ProxyStatusOptions.IsToken(name));
        Assert.Equal(valid, !new ProxyStatusOptions { Name = name }.Problems().Any());
    }

    [Fact]
    public void Details_are_an_escaped_sf_string()
    {
        var members = new ProxyStatusMembers.Snapshot(new ProxyStatusOptions { Details = true });
        Assert.Equal("gateway; error=http_protocol_error; details=\"a \\\"b\\\" \\\\ c? d\"",
            members.With(members.Error(ProxyErrorType.HttpProtocolError), "10.0.0.1:80", "a \"b\" \\ c\n d"));
    }

    [Fact]
    public void The_member_strings_are_made_once()
    {
        var members = new ProxyStatusMembers.Snapshot(new ProxyStatusOptions());
        Assert.Same(members.Received(200), members.Received(200));
        Assert.Same(members.Error(ProxyErrorType.ConnectionRefused), members.Error(ProxyErrorType.ConnectionRefused));
        Assert.Same(members.Received(200), members.With(members.Received(200), "10.0.0.1:80", "off by default"));
    }

    private static HttpRequestException Wrapped(HttpRequestError error, Exception? inner) => new(error, "failed", inner);

    private sealed class Failure(ForwarderError error, Exception? exception) : IForwarderErrorFeature
    {
        public ForwarderError Error { get; } = error;

        public Exception? Exception { get; } = exception;
    }
}
