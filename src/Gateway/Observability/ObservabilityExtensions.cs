using System.Diagnostics;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;
using Yarp.ReverseProxy.Model;

namespace Gateway.Observability;

public static class ObservabilityExtensions
{
    /// <summary>OTLP export is on when this is set (environment or any config source).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddGatewayObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<GatewayMetrics>();
        services.Configure<AccessLogSettings>(configuration.GetSection(AccessLogSettings.SectionName));
        services.AddSingleton<AccessLog>();
        services.AddSingleton<IConfigCheck>(new SectionCheck<AccessLogSettings>(AccessLogSettings.SectionName));
        services.AddSingleton<MetricsSnapshot>();
        // Traces always run, so upstreams get a traceparent and every problem's traceId is the trace's id;
        // they leave the process only when an OTLP endpoint is configured.
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("gateway"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = context => ListenerFeature.Of(context) == GatewayListener.Public)
                    .AddSource("Yarp.ReverseProxy");
                if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>Outermost, so even the exception handler's 500 is counted.</summary>
    public static IApplicationBuilder UseGatewayMetrics(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<MetricsSnapshot>().Register();
        return app.UseMiddleware<ResponseRecorder>();
    }

    /// <summary>In the proxy pipeline, around the forwarder: how long the upstream took, body included.</summary>
    public static IReverseProxyApplicationBuilder UseUpstreamTiming(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next();
            if (context.GetReverseProxyFeature().ProxiedDestination is not null)
            {
                var route = context.GetRouteModel().Config;
                var elapsed = Stopwatch.GetElapsedTime(started);
                context.Features.Set(new UpstreamTimingFeature { Elapsed = elapsed });
                context.RequestServices.GetRequiredService<GatewayMetrics>().UpstreamDuration
                    .WithLabels(route.RouteId, route.ClusterId ?? "none")
                    .Observe(elapsed.TotalSeconds);
            }
        });
        return proxy;
    }

    /// <summary>Prometheus exposition of the gateway's own registry (no key: scrapers and /healthz alike).</summary>
    public static IEndpointConventionBuilder MapGatewayMetrics(this IEndpointRouteBuilder adminPort) =>
        adminPort.MapMetrics("/metrics", adminPort.ServiceProvider.GetRequiredService<GatewayMetrics>().Registry);
}
