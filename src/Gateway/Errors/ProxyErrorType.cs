using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;
using RequestError = System.Net.Http.HttpRequestError;

namespace Gateway.Errors;

/// <summary>
/// The origin -> RFC 9209 §2.3 proxy error type table: what <c>Proxy-Status: gateway; error=...</c> says for an answer
/// the gateway made. Null for an answer it did not make (the upstream's, a cache hit, a client that left).
/// </summary>
public static class ProxyErrorType
{
    public const string DestinationNotFound = "destination_not_found";
    public const string DestinationUnavailable = "destination_unavailable";
    public const string DestinationIpUnroutable = "destination_ip_unroutable";
    public const string DnsError = "dns_error";
    public const string ConnectionRefused = "connection_refused";
    public const string ConnectionTerminated = "connection_terminated";
    public const string ConnectionLimitReached = "connection_limit_reached";
    public const string TlsProtocolError = "tls_protocol_error";
    public const string HttpRequestError = "http_request_error";
    public const string HttpRequestDenied = "http_request_denied";
    public const string HttpResponseHeaderSectionSize = "http_response_header_section_size";
    public const string HttpResponseTimeout = "http_response_timeout";
    public const string HttpProtocolError = "http_protocol_error";
    public const string ProxyInternalResponse = "proxy_internal_response";
    public const string ProxyInternalError = "proxy_internal_error";

    /// <summary>Every type <see cref="For"/> can return (the member strings are made once per type).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        DestinationNotFound, DestinationUnavailable, DestinationIpUnroutable, DnsError, ConnectionRefused, ConnectionTerminated,
        ConnectionLimitReached, TlsProtocolError, HttpRequestError, HttpRequestDenied, HttpResponseHeaderSectionSize,
        HttpResponseTimeout, HttpProtocolError, ProxyInternalResponse, ProxyInternalError,
    ];

    /// <summary>The types an <see cref="GatewayOrigin.Unreachable"/> 502 can carry, by the failure (for the guide page).</summary>
    public static IReadOnlyList<string> Unreachable { get; } = [ConnectionRefused, ConnectionTerminated, HttpProtocolError];

    /// <param name="failure">YARP's forwarder error, when forwarding failed: it tells a refused, reset or invalid upstream apart.</param>
    public static string? For(GatewayOrigin origin, int status, IForwarderErrorFeature? failure = null) => origin switch
    {
        GatewayOrigin.Upstream or GatewayOrigin.Cache or GatewayOrigin.Client => null,
        GatewayOrigin.Timeout => HttpResponseTimeout,
        GatewayOrigin.Unreachable => UnreachableType(failure?.Error, failure?.Exception),
        GatewayOrigin.NoHealthy => DestinationUnavailable,
        GatewayOrigin.Overload => ConnectionLimitReached,
        // A 503 of the rate limiter is its store being unreachable: the gateway's own trouble, not a refusal.
        GatewayOrigin.RateLimit => status >= 500 ? ProxyInternalError : HttpRequestDenied,
        GatewayOrigin.Auth or GatewayOrigin.Admin => HttpRequestDenied,
        GatewayOrigin.NoRoute => DestinationNotFound,
        GatewayOrigin.Limits => HttpRequestError,
        GatewayOrigin.Maintenance => ProxyInternalResponse,
        // A rule's 400 (a value no Location can carry) refuses the request; its 3xx is the gateway's own answer.
        GatewayOrigin.Redirect => status >= 400 ? HttpRequestError : ProxyInternalResponse,
        // Gateway: a failure of its own (500, a 502 for an upstream request it could not build), a request it could
        // not read (400), or a page it serves itself (the status guide's 200).
        _ => status >= 500 ? ProxyInternalError : status >= 400 ? HttpRequestError : ProxyInternalResponse,
    };

    /// <summary>The most specific type the failure shows: the exception chain's HTTP error kind or socket error.</summary>
    internal static string UnreachableType(ForwarderError? error, Exception? exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return ConnectionRefused;
                case SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return DestinationIpUnroutable;
                case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown }:
                    return ConnectionTerminated;
                case HttpRequestException { HttpRequestError: RequestError.InvalidResponse or RequestError.HttpProtocolError }:
                    return HttpProtocolError;
                case HttpRequestException { HttpRequestError: RequestError.ResponseEnded }:
                    return ConnectionTerminated;
                case HttpRequestException { HttpRequestError: RequestError.NameResolutionError }:
                    return DnsError;
                case HttpRequestException { HttpRequestError: RequestError.SecureConnectionError }:
                    return TlsProtocolError;
                case HttpRequestException { HttpRequestError: RequestError.ConfigurationLimitExceeded }:
                    return HttpResponseHeaderSectionSize;
                case HttpIOException { HttpRequestError: RequestError.InvalidResponse or RequestError.HttpProtocolError }:
                    return HttpProtocolError;
                case HttpIOException { HttpRequestError: RequestError.ResponseEnded }:
                    return ConnectionTerminated;
            }
        }

        // Unclassified: a connection that broke while the request body was sent ended it; anything else is the
        // next hop not speaking HTTP as expected (RFC 9209 §2.3.17: when nothing more specific fits).
        return error == ForwarderError.RequestBodyDestination ? ConnectionTerminated : HttpProtocolError;
    }
}
