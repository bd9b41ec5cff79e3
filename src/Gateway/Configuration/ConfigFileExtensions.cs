using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Configuration;

public static class ConfigFileExtensions
{
    public const string ConfigFileKey = "Gateway:ConfigFile";

    /// <summary>
    /// Replaces the host's appsettings JSON sources with the watched route file
    /// (<c>Gateway:ConfigFile</c>, default <c>appsettings.json</c> in the working directory),
    /// keeping environment variables and the command line above it.
    /// </summary>
    public static ConfigFileSource AddGatewayConfigFile(this WebApplicationBuilder builder)
    {
        var path = builder.Configuration[ConfigFileKey] ?? Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            throw new ConfigFileException(Path.GetFullPath(path), $"does not exist; run from the repository root or set {ConfigFileKey}");
        }

        var source = new ConfigFileSource(path);
        var configuration = builder.Configuration;
        var stock = configuration.Sources.OfType<JsonConfigurationSource>()
            .Where(json => json.Path?.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        var index = stock.Count > 0 ? configuration.Sources.IndexOf(stock[0]) : 0;
        foreach (var json in stock)
        {
            configuration.Sources.Remove(json);
        }

        configuration.Sources.Insert(index, source);
        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton(source.Status);
        builder.Services.AddSingleton<ConfigMetrics>();
        builder.Services.AddSingleton<ConfigSections>();
        return source;
    }

    /// <summary>Runs every <see cref="IConfigCheck"/> on the config at start (fatal) and on each edit (rejected).</summary>
    public static void ValidateGatewayConfig(this WebApplication app)
    {
        app.Services.GetRequiredService<ConfigMetrics>().Register();
        var source = app.Services.GetRequiredService<ConfigFileSource>();
        var checks = app.Services.GetServices<IConfigCheck>().ToArray();
        var live = (IConfigurationRoot)app.Configuration;
        source.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Configuration");
        source.Validate = (provider, data) => RunChecks(checks, ConfigCandidate.Create(live, provider, data));

        // Checked as a candidate of the data it serves, like every edit: the same fast reading, and the routes read here
        // are the ones applied (Routing/ProxySnapshotHandoff).
        var file = live.Providers.OfType<ConfigFileProvider>().SingleOrDefault();
        var errors = RunChecks(checks, file is null ? live : ConfigCandidate.Create(live, file, file.CurrentData));
        if (errors.Count > 0)
        {
            // One line: each error is one ("; " between them).
            throw new ConfigFileException(source.Path, "is not valid: " + string.Join("; ", errors.Select(error => error.ReplaceLineEndings(" "))));
        }
    }

    private static List<string> RunChecks(IConfigCheck[] checks, IConfiguration candidate)
    {
        var errors = new List<string>();
        foreach (var check in checks)
        {
            check.Check(candidate, errors);
        }

        return errors;
    }
}
