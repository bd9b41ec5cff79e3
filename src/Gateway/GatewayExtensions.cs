using Gateway.Admin;
using Gateway.Auth;
using Gateway.Clients;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Errors.StatusGuide;
using Gateway.Hosting;
using Gateway.Limits;
using Gateway.Maintenance;
using Gateway.Observability;
using Gateway.RateLimiting;
using Gateway.Routing;
using Microsoft.AspNetCore.Builder;

namespace Gateway;

/// <summary>The one place that composes the features, in the order the pipeline needs them.</summary>
public static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.AddGatewayConfigFile();
        builder.AddGatewayListeners();
        var configuration = builder.Configuration;
        builder.Services
            .AddGatewayErrors()
            .AddGatewayClients(configuration)
            .AddGatewayLimits(configuration)
            .AddGatewayRouting()
            .AddGatewayAuth(configuration)
            .AddGatewayMaintenance(configuration)
            .AddGatewayRateLimiting(configuration)
            .AddGatewayAdmin(configuration)
            .AddGatewayObservability(configuration);
        return builder;
    }

    /// <summary>
    /// Order decides which status wins: maintenance (503) before authorization (401/403), authorization
    /// before rate limiting (429) so a refused token costs no quota, then the proxy (502/503/504/413).
    /// </summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseGatewayConfigChecks();
        app.UseGatewayMetrics();
        app.UseGatewayErrors();
        app.UseRequestTargetCheck();
        app.UseGatewayAdminProblems();
        app.UseRouting();
        app.UseGatewayRouting();
        app.UseGatewayAuthentication();
        app.UseGatewayMaintenance();
        app.UseGatewayAuthorization();
        app.UseGatewayRateLimiting();

        app.MapGatewayAdmin()
            .MapMaintenanceAdmin()
            .MapRateLimitingAdmin();
        app.MapStatusGuide();
        app.MapGatewayRoutes();
        app.MapNoRoute();
        return app;
    }
}
