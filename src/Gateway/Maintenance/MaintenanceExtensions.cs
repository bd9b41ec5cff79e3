using Gateway.Clients;
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
        services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MaintenanceState>();
        services.AddSingleton<MaintenanceMetrics>();
        services.AddSingleton<IReconciled>(provider => provider.GetRequiredService<MaintenanceState>());
        services.AddSingleton<IStatusFactSource, MaintenanceStatusFacts>();
        services.AddSingleton<IConfigCheck, MaintenanceCheck>();
        return services;
    }

    /// <summary>After routing (the route id) and authentication (the admin-role allow-list).</summary>
    public static IApplicationBuilder UseGatewayMaintenance(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<MaintenanceMetrics>().Register();
        return app.UseMiddleware<MaintenanceGate>();
    }

    private sealed class MaintenanceCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(MaintenanceOptions.SectionName);
            if (SectionBinder.Bind<MaintenanceOptions>(section, errors, section.Path) is not { } settings)
            {
                return;
            }

            if (settings.RetryAfterSeconds < 1)
            {
                errors.Add($"{section.Path}:RetryAfterSeconds: must be at least 1");
            }

            if (settings.From is { } from && settings.Until is { } until && from >= until)
            {
                errors.Add($"{section.Path}:From: must be before Until");
            }

            foreach (var invalid in ClientAddress.Invalid(settings.Allow.ClientIps))
            {
                errors.Add($"{section.Path}:Allow:ClientIps: '{invalid}' is not an IP address or CIDR network");
            }

            var routeIds = ProxyConfigIds.Routes(candidate);
            foreach (var route in settings.Routes.Where(route => !routeIds.Contains(route)))
            {
                errors.Add($"{section.Path}:Routes: '{route}' is not a route in ReverseProxy:Routes");
            }
        }
    }
}
