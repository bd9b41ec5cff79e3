using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// Binds a section strictly: a value of the wrong type or an unknown (misspelt) key is an error naming
/// the key, where the stock binder would ignore it or fail later without saying where. <paramref name="problems"/>
/// adds the section's own rules, each a text that starts with the key it is about.
/// </summary>
public sealed class SectionCheck<T>(string sectionName, Func<T, IEnumerable<string>>? problems = null) : IConfigCheck
    where T : class, new()
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        if (SectionBinder.Bind<T>(candidate.GetSection(sectionName), errors, sectionName) is { } bound && problems is not null)
        {
            foreach (var problem in problems(bound))
            {
                errors.Add($"{sectionName}:{problem}");
            }
        }
    }
}
