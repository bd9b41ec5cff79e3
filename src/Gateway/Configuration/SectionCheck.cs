using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// Binds a section strictly: a value of the wrong type or an unknown (misspelt) key is an error naming
/// the key, where the stock binder would ignore it or fail later without saying where.
/// </summary>
public sealed class SectionCheck<T>(string sectionName) : IConfigCheck
    where T : class, new()
{
    public void Check(IConfiguration candidate, ICollection<string> errors) =>
        SectionBinder.Bind<T>(candidate.GetSection(sectionName), errors, sectionName);
}
