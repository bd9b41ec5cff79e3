using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Observability;

/// <summary>
/// The upstream gets the gateway's trace context (W3C <c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) as a
/// request transform. HttpClient would do it too, but only by starting one more Activity per request and building
/// a redacted URL for it (measured in docs/benchmarks.md); YARP's own forwarder span is already the parent we want.
/// The host turns HttpClient's propagation off with the runtime switch <c>System.Net.Http.EnableActivityPropagation=false</c>
/// (a <c>RuntimeHostConfigurationOption</c> in its project file), so the header is written once.
/// </summary>
internal static class TraceContextPropagation
{
    public static IReverseProxyBuilder PropagateTraceContext(this IReverseProxyBuilder proxy)
    {
        return proxy.AddTransforms(transforms =>
        {
            var propagator = DistributedContextPropagator.Current;
            string[] fields = [.. propagator.Fields];
            transforms.AddRequestTransform(context => Propagate(context, propagator, fields));
        });
    }

    private static ValueTask Propagate(RequestTransformContext context, DistributedContextPropagator propagator, string[] fields)
    {
        var proxyHeaders = context.ProxyRequest.Headers;
        var sent = context.HttpContext.Request.Headers;
        foreach (var field in fields)
        {
            // YARP copied the client's values; they are replaced, never appended to.
            if (sent.ContainsKey(field))
            {
                proxyHeaders.Remove(field);
            }
        }

        if (Activity.Current is { } span)
        {
            propagator.Inject(span, proxyHeaders, static (carrier, name, value) => ((HttpRequestHeaders)carrier!).TryAddWithoutValidation(name, value));
        }

        return ValueTask.CompletedTask;
    }
}
