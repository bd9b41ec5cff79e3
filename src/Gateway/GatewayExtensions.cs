using Gateway.Admin;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Hosting;
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
        builder.Services.AddGatewayErrors();
        builder.Services.AddGatewayRouting();
        builder.Services.AddGatewayAdmin();
        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseGatewayConfigChecks();
        app.UseGatewayErrors();
        app.UseRouting();
        app.UseGatewayRouting();
        app.MapGatewayAdmin();
        app.MapGatewayRoutes();
        app.MapNoRoute();
        return app;
    }
}
