using Gateway.Clients;
using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Maintenance;

internal sealed class MaintenanceOptionsCheck : IConfigCheck
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
            errors.Add($"{section.Path}:Routes: '{route}' is not a route in {ReverseProxySection.Routes}");
        }
    }
}
