using System.Text.Json;
using Gateway.Errors;
using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Admin;

public static class AdminExtensions
{
    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ConfigReloadHealthCheck>("config");
        return services;
    }

    /// <summary>Endpoints of the admin listener only; nothing here is reachable through the public port.</summary>
    public static IEndpointRouteBuilder MapGatewayAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("").WithMetadata(ListenerMetadata.Admin);
        admin.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        admin.MapFallback("{*path}", context => GatewayProblems.WriteAsync(
            context, StatusCodes.Status404NotFound, GatewayOrigin.NoRoute, "The admin port has no such endpoint."));
        return endpoints;
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
