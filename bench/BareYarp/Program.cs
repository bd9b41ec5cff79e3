// Bare YARP: LoadFromConfig + MapReverseProxy, logging off. The route and upstream come from
// appsettings.json; bench/run.sh overrides the listen URL and the upstream address on the command line.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
