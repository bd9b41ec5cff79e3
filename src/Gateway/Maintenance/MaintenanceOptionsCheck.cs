using Gateway.Clients;
using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Maintenance;

internal sealed class MaintenanceOptionsCheck() : OptionsCheck<MaintenanceOptions>(MaintenanceOptions.SectionName)
{
    protected override void Check(MaintenanceOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors)
    {
        foreach (var (property, problem) in MaintenanceRules.Problems(settings.RetryAfterSeconds, settings.From, settings.Until))
        {
            errors.Add($"{section.Path}:{property}: {problem}");
        }

        foreach (var invalid in ClientAddress.Invalid(settings.Allow.ClientIps))
        {
            errors.Add($"{section.Path}:Allow:ClientIps: '{invalid}' is not an IP address or CIDR network");
        }

        foreach (var (property, problem) in MaintenanceRules.UnknownRoutes(settings.Routes, id => ProxyConfigIds.IsRoute(candidate, id)))
        {
            errors.Add($"{section.Path}:{property}: {problem}");
        }
    }
}
