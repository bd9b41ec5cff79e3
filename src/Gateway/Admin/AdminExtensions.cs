using System.Text.Json;
using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Observability;
using Gateway.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Admin;

public static class AdminExtensions
{
    private static readonly HttpMethodMetadata ReadOnly = new([HttpMethods.Get, HttpMethods.Head]);

    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewaySection<AdminOptions, AdminOptionsCheck>(AdminOptions.SectionName);
        services.AddSingleton<AdminKeys>();
        services.AddSingleton<FailedKeyLimiter>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<ReplicaCounts>();
        services.AddSingleton<IReconciled>(provider => provider.GetRequiredService<ReplicaCounts>());
        services.AddHostedService<ResponseHistorySampler>();
        services.AddHealthChecks().AddCheck<ConfigReloadHealthCheck>("config");
        return services;
    }

    /// <summary>
    /// The admin listener's endpoints: <c>/healthz</c> without a key, <c>/admin/*</c> behind <c>X-Admin-Key</c>.
    /// Returns the <c>/admin</c> group so features add their own admin endpoints to it.
    /// </summary>
    public static RouteGroupBuilder MapGatewayAdmin(this IEndpointRouteBuilder endpoints)
    {
        var port = endpoints.MapGroup("").WithMetadata(ListenerMetadata.Admin);
        // Probes and scrapers read; other methods get 405 with Allow like every admin endpoint.
        port.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).WithMetadata(ReadOnly);
        port.MapGatewayMetrics().WithMetadata(ReadOnly);
        port.MapStatusPage();

        // Made now rather than at the first admin request, so its counters read 0 from the first scrape.
        endpoints.ServiceProvider.GetRequiredService<FailedKeyLimiter>();
        var admin = port.MapGroup("/admin").AddEndpointFilter<AdminKeyFilter>();
        admin.MapStatusAdmin();
        return admin;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        }, JsonSerializerOptions.Web);
}
