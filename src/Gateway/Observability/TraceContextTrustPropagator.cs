using System.Diagnostics;
using Gateway.Clients;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Observability;

/// <summary>
/// Decides whose trace context the request's server span continues. ASP.NET Core's hosting layer creates that span
/// before any middleware runs, extracting <c>traceparent</c>, <c>tracestate</c> and <c>baggage</c> with the
/// <see cref="DistributedContextPropagator"/> it resolves from DI, and gives it only the header dictionary. So this
/// replacement finds the peer through <see cref="IHttpContextAccessor"/>, which the context factory sets just before;
/// from a client it does not trust it extracts nothing, and the span starts a trace of its own with no baggage.
/// </summary>
internal sealed class TraceContextTrustPropagator(
    DistributedContextPropagator inner, IHttpContextAccessor requests, ClientAddress clients, IOptionsMonitor<TraceContextOptions> options)
    : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        inner.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        if (Believed(carrier))
        {
            inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
        }
        else
        {
            traceId = null;
            traceState = null;
        }
    }

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        Believed(carrier) ? inner.ExtractBaggage(carrier, getter) : null;

    private bool Believed(object? carrier)
    {
        // Only a client request's headers are a client's word; any other carrier is passed through as it is.
        if (requests.HttpContext is not { } context || !ReferenceEquals(context.Request.Headers, carrier))
        {
            return true;
        }

        return options.CurrentValue.TrustClientTraceContext switch
        {
            TraceContextTrust.Always => true,
            TraceContextTrust.TrustedProxies => clients.PeerIsTrusted(context),
            _ => false,
        };
    }
}
