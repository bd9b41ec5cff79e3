using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Overload;

internal sealed class OverloadOptionsCheck() : OptionsCheck<OverloadOptions>(OverloadOptions.SectionName)
{
    protected override void Check(OverloadOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors)
    {
        foreach (var problem in settings.Gateway?.Problems() ?? [])
        {
            errors.Add($"{section.Path}:Gateway:{problem}");
        }

        var clusterIds = ProxyConfigIds.Clusters(candidate);
        foreach (var (id, limit) in settings.Clusters)
        {
            if (!clusterIds.Contains(id))
            {
                errors.Add($"{section.Path}:Clusters:{id}: '{id}' is not a cluster in {ReverseProxySection.Clusters}");
            }

            foreach (var problem in limit.Problems())
            {
                errors.Add($"{section.Path}:Clusters:{id}:{problem}");
            }
        }
    }
}
