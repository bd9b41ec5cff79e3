using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Redirects;

internal sealed class RedirectOptionsCheck : IConfigCheck
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var section = candidate.GetSection(RedirectOptions.SectionName);
        if (SectionBinder.Bind<RedirectOptions>(section, errors, section.Path) is not { } settings)
        {
            return;
        }

        foreach (var (name, rule) in settings.Rules)
        {
            foreach (var problem in RedirectRule.Problems(rule))
            {
                errors.Add($"{section.Path}:Rules:{name}:{problem}");
            }
        }
    }
}
