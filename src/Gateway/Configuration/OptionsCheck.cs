using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// A section's check beside its options type: the section is bound strictly (wrong types and unknown keys are errors
/// naming the key), then <see cref="Check(TOptions, IConfigurationSection, IConfiguration, ICollection{string})"/>
/// adds the rules that need more than the values (other sections, the candidate's routes and clusters).
/// </summary>
public abstract class OptionsCheck<TOptions>(string sectionName) : IConfigCheck
    where TOptions : class, new()
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var section = candidate.GetSection(sectionName);
        if (SectionBinder.Bind<TOptions>(section, errors, section.Path) is { } settings)
        {
            Check(settings, section, candidate, errors);
        }
    }

    /// <summary>Each error starts with the key path (<c>section.Path</c> and below).</summary>
    protected abstract void Check(TOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors);
}
