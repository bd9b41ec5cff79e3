using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.TestSupport;

/// <summary>Runs the config checks a feature registers on a candidate config, as a reload does before accepting a file.</summary>
internal static class ConfigChecks
{
    public static List<string> Errors(Func<IServiceCollection, IConfiguration, IServiceCollection> addFeature, Dictionary<string, string?> data)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(data).Build();
        using var provider = addFeature(new ServiceCollection(), configuration).BuildServiceProvider();
        var errors = new List<string>();
        foreach (var check in provider.GetServices<IConfigCheck>())
        {
            check.Check(configuration, errors);
        }

        return errors;
    }
}
