// Bare YARP: LoadFromConfig + MapReverseProxy, logging off. The route and upstream come from
// appsettings.json; bench/run.sh overrides the listen URL and the upstream address on the command line.
// BARE_YARP_TRACING=1 adds OpenTelemetry tracing the way its docs show it (ASP.NET Core and HttpClient
// instrumentation, YARP's source, no exporter), a row to set the gateway's tracing against (the gateway traces its own
// way: ASP.NET Core's server span with the tags written for recorded spans only, no HttpClient instrumentation);
// BARE_YARP_SAMPLE_RATIO=R samples a ratio R of traces, parent-based, as the gateway's Tracing:SampleRatio does.
// BARE_YARP_RATELIMIT=1 adds ASP.NET Core's rate limiter as its docs show it (a fixed window per client address) and
// BARE_YARP_METRICS=1 prometheus-net's HTTP metrics (UseHttpMetrics): what those libraries alone cost a request.
// BARE_YARP_METRICS=counter instead counts each answer in one prometheus-net counter labelled by route and status code
// (WithLabels(...).Inc() after the response, as its docs show a labelled counter).
// BARE_YARP_ROUTES_FILE=FILE loads routes and clusters from a JSON file of YARP's RouteConfig and ClusterConfig
// (LoadFromMemory), so a load of many routes can be timed without IConfiguration (bench/scale/bare_yarp_routes.py);
// it prints how long reading the file took, which that script takes off the load.
using System.Diagnostics;
using System.Threading.RateLimiting;
using OpenTelemetry.Trace;
using Prometheus;
using Yarp.ReverseProxy.Configuration;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var proxy = builder.Services.AddReverseProxy();
if (Environment.GetEnvironmentVariable("BARE_YARP_ROUTES_FILE") is { Length: > 0 } routesFile)
{
    var reading = Stopwatch.StartNew();
    var file = System.Text.Json.JsonSerializer.Deserialize<RoutesFile>(File.ReadAllText(routesFile))!;
    Console.WriteLine($"bare-yarp: routes file read in {reading.Elapsed.TotalSeconds:F3} s");
    proxy.LoadFromMemory(file.Routes, file.Clusters);
}
else
{
    proxy.LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
}

if (Environment.GetEnvironmentVariable("BARE_YARP_TRACING") == "1")
{
    builder.Services.AddOpenTelemetry().WithTracing(tracing =>
    {
        tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource("Yarp.ReverseProxy");
        if (double.TryParse(Environment.GetEnvironmentVariable("BARE_YARP_SAMPLE_RATIO"), System.Globalization.CultureInfo.InvariantCulture, out var ratio))
        {
            tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));
        }
    });
}

var rateLimited = Environment.GetEnvironmentVariable("BARE_YARP_RATELIMIT") == "1";
if (rateLimited)
{
    builder.Services.AddRateLimiter(options => options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = 100_000_000,
            Window = TimeSpan.FromSeconds(1),
        })));
}

var app = builder.Build();
if (Environment.GetEnvironmentVariable("BARE_YARP_METRICS") == "1")
{
    app.UseRouting();
    app.UseHttpMetrics();
}
else if (Environment.GetEnvironmentVariable("BARE_YARP_METRICS") == "counter")
{
    var answers = Metrics.CreateCounter("bare_yarp_responses_total", "Answers by route and status code.", "route", "code");
    app.UseRouting();
    app.Use(async (context, next) =>
    {
        await next(context);
        answers.WithLabels(context.GetEndpoint()?.DisplayName ?? "", context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
    });
}

if (rateLimited)
{
    app.UseRateLimiter();
}

app.MapReverseProxy();
await app.RunAsync();

internal sealed record RoutesFile(List<RouteConfig> Routes, List<ClusterConfig> Clusters);
