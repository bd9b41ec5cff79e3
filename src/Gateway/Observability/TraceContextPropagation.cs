using System.Diagnostics;
using System.Net.Http.Headers;
using Gateway.Clients;
using Gateway.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Observability;

/// <summary>
/// The upstream gets the gateway's trace context (W3C <c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) as a
/// request transform. HttpClient would do it too, but only by starting one more Activity per request and building
/// a redacted URL for it (measured in docs/benchmarks.md); YARP's own forwarder span is already the parent we want.
/// The host turns HttpClient's propagation off with the runtime switch <c>System.Net.Http.EnableActivityPropagation=false</c>
/// (a <c>RuntimeHostConfigurationOption</c> in its project file), so the header is written once.
/// What comes in is decided earlier, where the server span is made (<see cref="TraceContextTrustPropagator"/>).
/// </summary>
internal static class TraceContextPropagation
{
    /// <summary>The gateway's hosting DiagnosticListener and server-span ActivitySource (ASP.NET Core's are "Microsoft.AspNetCore").</summary>
    public const string HostingSourceName = "Gateway.Hosting";

    /// <summary>The <c>Tracing</c> section and the propagator the hosting layer extracts a client's trace context with.</summary>
    public static IServiceCollection AddTraceContextTrust(this IServiceCollection services)
    {
        services.AddGatewaySection<TraceContextOptions>(TraceContextOptions.SectionName, tracing => tracing.Problems());
        services.AddHttpContextAccessor();
        // A library in the same process that listens to ASP.NET Core's hosting events by name would see the gateway's too:
        // OpenTelemetry's ASP.NET Core instrumentation (the samples beside the gateway in the native demo and the tests)
        // re-parents the server span from the client's traceparent itself, and its sampler would outvote SampleRatio.
        // The gateway's hosting events and server spans have a name of their own (the host resolves both from DI).
        services.AddSingleton(new DiagnosticListener(HostingSourceName));
        services.AddSingleton(new ActivitySource(HostingSourceName));
        services.AddSingleton<DiagnosticSource>(provider => provider.GetRequiredService<DiagnosticListener>());
        // Registered after the host's own (DistributedContextPropagator.Current), so the hosting layer resolves this one.
        services.AddSingleton<DistributedContextPropagator>(provider => new TraceContextTrustPropagator(
            DistributedContextPropagator.Current,
            provider.GetRequiredService<IHttpContextAccessor>(),
            provider.GetRequiredService<ClientAddress>(),
            provider.GetRequiredService<IOptionsMonitor<TraceContextOptions>>()));
        return services;
    }

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
