using System.Diagnostics;
using System.Net;
using Gateway.Clients;
using Gateway.Hosting;
using Gateway.Observability;
using Gateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Observability;

/// <summary>Whose trace context the server span may continue, as the hosting layer asks it of the propagator.</summary>
public sealed class TraceContextTrustPropagatorTests
{
    private const string Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Theory]
    [InlineData(TraceContextTrust.TrustedProxies, "10.0.0.1", true)]
    [InlineData(TraceContextTrust.TrustedProxies, "203.0.113.7", false)]
    [InlineData(TraceContextTrust.Never, "10.0.0.1", false)]
    [InlineData(TraceContextTrust.Always, "203.0.113.7", true)]
    public void The_peer_and_the_setting_decide(TraceContextTrust trust, string peer, bool continued)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Headers["traceparent"] = Traceparent;
        context.Request.Headers["tracestate"] = "vendor=client";
        context.Request.Headers["baggage"] = "role=admin";
        var propagator = Propagator(trust, context);

        propagator.ExtractTraceIdAndState(context.Request.Headers, Getter, out var traceId, out var traceState);
        var baggage = propagator.ExtractBaggage(context.Request.Headers, Getter);

        Assert.Equal(continued ? Traceparent : null, traceId);
        Assert.Equal(continued ? "vendor=client" : null, traceState);
        Assert.Equal(continued, baggage?.Any(item => item.Key == "role") == true);
    }

    [Fact]
    public void A_carrier_that_is_not_the_requests_headers_is_passed_through()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        var other = new HeaderDictionary { ["traceparent"] = Traceparent };

        Propagator(TraceContextTrust.Never, context).ExtractTraceIdAndState(other, Getter, out var traceId, out _);
        Assert.Equal(Traceparent, traceId);
    }

    private static TraceContextTrustPropagator Propagator(TraceContextTrust trust, HttpContext context) => new(
        DistributedContextPropagator.CreateDefaultPropagator(),
        new HttpContextAccessor { HttpContext = context },
        new ClientAddress(new TestOptionsMonitor<GatewayOptions>(new() { TrustedProxies = ["10.0.0.0/8"] }), new ApiKeys(new TestOptionsMonitor<ClientsOptions>(new()))),
        new TestOptionsMonitor<TraceContextOptions>(new() { TrustClientTraceContext = trust }));

    private static void Getter(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = ((IHeaderDictionary)carrier!)[name];
    }
}
