// Bare YARP: LoadFromConfig + MapReverseProxy, logging off. The route and upstream come from
// appsettings.json; bench/run.sh overrides the listen URL and the upstream address on the command line.
// BARE_YARP_TRACING=1 adds OpenTelemetry tracing the way its docs show it (ASP.NET Core and HttpClient
// instrumentation, YARP's source, no exporter), for a like-for-like row against the gateway, which always traces.
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
if (Environment.GetEnvironmentVariable("BARE_YARP_TRACING") == "1")
{
    builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation()
        .AddSource("Yarp.ReverseProxy"));
}

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
