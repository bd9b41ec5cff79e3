using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Redirects;

internal sealed class RedirectOptionsCheck() : OptionsCheck<RedirectOptions>(RedirectOptions.SectionName)
{
    protected override void Check(RedirectOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors)
    {
        foreach (var (name, rule) in settings.Rules)
        {
            foreach (var problem in RedirectRule.Problems(rule))
            {
                errors.Add($"{section.Path}:Rules:{name}:{problem}");
            }
        }
    }
}
