using Gateway.Configuration;
using Gateway.Errors.StatusGuide;
using Gateway.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Maintenance;

public static class MaintenanceExtensions
{
    public static IServiceCollection AddGatewayMaintenance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewaySection<MaintenanceOptions, MaintenanceOptionsCheck>(MaintenanceOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MaintenanceState>();
        services.AddSingleton<MaintenanceMetrics>();
        services.AddSingleton<IReconciled>(provider => provider.GetRequiredService<MaintenanceState>());
        services.AddSingleton<IStatusFactSource, MaintenanceStatusFacts>();
        return services;
    }

    /// <summary>After routing (the route id) and authentication (the admin-role allow-list).</summary>
    public static IApplicationBuilder UseGatewayMaintenance(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<MaintenanceMetrics>().Register();
        return app.UseMiddleware<MaintenanceGate>();
    }
}
