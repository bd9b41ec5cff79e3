using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

internal static class ConfigKeys
{
    /// <summary>
    /// Every key one provider holds: the config file's from its data, another's by asking it for each of its sections'
    /// children (a few environment variables and arguments; the configuration's own walk asks every provider for every
    /// section, the file's 10,000 routes included).
    /// </summary>
    public static IEnumerable<string> Of(IConfigurationProvider provider) =>
        provider is ConfigFileProvider file ? file.CurrentData.Keys : Below(provider, null);

    private static IEnumerable<string> Below(IConfigurationProvider provider, string? path)
    {
        foreach (var key in provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var child = path is null ? key : ConfigurationPath.Combine(path, key);
            yield return child;
            foreach (var below in Below(provider, child))
            {
                yield return below;
            }
        }
    }
}
