using System.Text.Json;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Hosting;
using Gateway.Observability;
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
    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AdminSettings>(configuration.GetSection(AdminSettings.SectionName));
        services.AddSingleton<AdminKeys>();
        services.AddSingleton<IConfigCheck>(new SectionCheck<AdminSettings>(AdminSettings.SectionName));
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
        port.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        port.MapGatewayMetrics();
        port.MapStatusPage();
        port.MapFallback("{*path}", context => GatewayProblems.WriteAsync(
            context, StatusCodes.Status404NotFound, GatewayOrigin.NoRoute, "The admin port has no such endpoint."));

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
