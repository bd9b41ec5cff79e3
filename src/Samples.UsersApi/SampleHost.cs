using System.Diagnostics;
using Microsoft.Extensions.Configuration.Json;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Samples;

/// <summary>Builder settings shared by the sample upstreams (this file is linked into Samples.Chaos and Samples.Grpc).</summary>
internal static class SampleHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, string defaultUrl, string serviceName)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // Pinned so the developer exception page can never leak a stack trace.
            EnvironmentName = Environments.Production,
            // Callers run from the repo root, whose appsettings.json belongs to the gateway.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Only env vars and the command line configure a sample, whatever directory it starts from.
        var jsonSources = builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList();
        foreach (var source in jsonSources)
        {
            builder.Configuration.Sources.Remove(source);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(defaultUrl);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // The only unhandled exception is /api/crash's deliberate one; its stack trace would flood the demo's console.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", LogLevel.Critical);

        // traceId is the bare W3C trace id, as in the gateway's problems, so one id finds the trace on both sides.
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = problem =>
            problem.ProblemDetails.Extensions["traceId"] = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity
                ? activity.TraceId.ToHexString()
                : problem.HttpContext.TraceIdentifier);
        // Traced like the gateway: the trace a request starts there continues here; exported only with an OTLP endpoint.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation();
                if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>Errors become RFC 9457 problem+json, never an HTML page or a stack trace.</summary>
    public static void UseProblemDetailsErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
    }

    public static void MapHealthCheck(this WebApplication app) =>
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
}
