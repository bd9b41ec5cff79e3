using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Forwarding;

internal sealed class RetryOptionsCheck() : OptionsCheck<RetryOptions>(RetryOptions.SectionName)
{
    protected override void Check(RetryOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors)
    {
        if (settings.Attempts is < 0 or > 3)
        {
            errors.Add($"{section.Path}:Attempts: {settings.Attempts} must be 0 to 3");
        }

        var clusterIds = ProxyConfigIds.Clusters(candidate);
        foreach (var (id, attempts) in settings.Clusters)
        {
            if (!clusterIds.Contains(id))
            {
                errors.Add($"{section.Path}:Clusters:{id}: '{id}' is not a cluster in {ReverseProxySection.Clusters}");
            }
            else if (attempts is < 0 or > 3)
            {
                errors.Add($"{section.Path}:Clusters:{id}: {attempts} must be 0 to 3");
            }
        }

        foreach (var route in settings.IdempotentRoutes.Where(route => !ProxyConfigIds.IsRoute(candidate, route)))
        {
            errors.Add($"{section.Path}:IdempotentRoutes: '{route}' is not a route in {ReverseProxySection.Routes}");
        }
    }
}
