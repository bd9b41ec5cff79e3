using Gateway.Configuration;
using Gateway.Utilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace Gateway.Observability;

public static class ObservabilityExtensions
{
    /// <summary>OTLP export is on when this is set (environment or any config source).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string ConsoleFormatterKey = "Logging:Console:FormatterName";

    public static IServiceCollection AddGatewayObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewaySection<MetricsOptions>(MetricsOptions.SectionName, metrics => metrics.Problems());
        // Read at start: the series keep the interval they were made with.
        services.AddSingleton(provider => new ObservabilityMetrics(provider.GetRequiredService<MetricsRegistry>(), provider.GetRequiredService<IOptions<MetricsOptions>>().Value));
        services.AddGatewaySection<AccessLogOptions>(AccessLogOptions.SectionName);
        services.AddSingleton<AccessLog>();
        services.AddSingleton<ScrapeTimeMetrics>();
        services.AddTraceContextTrust();
        // CreateSlimBuilder's AddSimpleConsole sets FormatterName = "simple" after the config is bound, so the documented
        // Logging:Console:FormatterName=json would be ignored; applied again here, the file (and its live edits) decide.
        services.PostConfigure<ConsoleLoggerOptions>(console =>
        {
            if (configuration[ConsoleFormatterKey] is { Length: > 0 } formatter)
            {
                console.FormatterName = formatter;
            }
        });
        // Traces always run, so upstreams get a traceparent and every problem's traceId is the trace's id;
        // they leave the process only when an OTLP endpoint is configured. The server span is ASP.NET Core's; its
        // OpenTelemetry HTTP tags are written when a recorded span ends (ServerSpanTags; the host
        // projects set Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData=true so that hosting does not compute
        // them for unsampled requests too); admin-port spans are dropped by ResponseRecorder.
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("gateway"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(TraceContextPropagation.HostingSourceName, "Yarp.ReverseProxy")
                    .SetSampler(provider => TraceSampler.ParentBased(provider.GetRequiredService<IOptionsMonitor<TraceContextOptions>>()))
                    .AddProcessor(provider => new ServerSpanTags(provider.GetRequiredService<IHttpContextAccessor>())); // before any exporter
                if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>First in UseGateway, outside the exception handler, so even its 500 is counted.</summary>
    public static IApplicationBuilder UseGatewayMetrics(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<ScrapeTimeMetrics>().Register();
        return app.UseMiddleware<ResponseRecorder>();
    }

    /// <summary>In the proxy pipeline, just before the forwarder: <see cref="UpstreamTimingMiddleware"/>.</summary>
    public static IReverseProxyApplicationBuilder UseUpstreamTiming(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<UpstreamTimingMiddleware>();
        return proxy;
    }

    /// <summary>Prometheus exposition of the gateway's one registry (every folder's instruments) (no key: scrapers and /healthz alike).</summary>
    public static IEndpointConventionBuilder MapGatewayMetrics(this IEndpointRouteBuilder adminPort) =>
        adminPort.MapMetrics("/metrics", adminPort.ServiceProvider.GetRequiredService<MetricsRegistry>().Registry);
}
