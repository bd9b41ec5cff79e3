using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Samples.Traffic;

/// <summary>
/// The generator's own GET /metrics for Prometheus: <c>traffic_incident_active{incident}</c>, 1 while an incident of
/// the scenario is on. Incidents are the generator's facts, so it exports them itself (the gateway knows nothing of
/// them); the label values are the scenario's incident names, a fixed set for a run.
/// </summary>
internal sealed class IncidentMetrics(WebApplication app) : IAsyncDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The addresses bound (a port 0 resolved).</summary>
    public IEnumerable<string> Urls => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];

    public static async Task<IncidentMetrics> StartAsync(string urls, Func<IEnumerable<(string Name, bool Active)>> incidents)
    {
        // The empty builder reads no appsettings.json or ASPNETCORE_* variables: only the URLs given here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(urls);
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path != "/metrics")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = ContentType;
            await context.Response.WriteAsync(Exposition(incidents()), context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        return new IncidentMetrics(app);
    }

    public static string Exposition(IEnumerable<(string Name, bool Active)> incidents)
    {
        var text = new StringBuilder()
            .Append("# HELP traffic_incident_active 1 while the traffic generator's incident is on (its requests join the mix), else 0.\n")
            .Append("# TYPE traffic_incident_active gauge\n");
        foreach (var (name, active) in incidents)
        {
            text.Append(CultureInfo.InvariantCulture, $"traffic_incident_active{{incident=\"{Escape(name)}\"}} {(active ? 1 : 0)}\n");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The text format's label-value escapes: backslash, double quote, line feed.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
