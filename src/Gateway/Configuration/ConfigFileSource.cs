using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.Configuration;

/// <summary>
/// The route file users edit while the gateway runs. Unlike the stock JSON source, a reload that
/// does not parse or does not pass the gateway's checks is rejected as a whole and the last good
/// content keeps serving (the stock source empties itself on a parse error).
/// </summary>
public sealed class ConfigFileSource : IConfigurationSource
{
    public ConfigFileSource(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>8 MiB: the shipped file is about 5 KB and 10,000 routes about 1.5 MB; a larger one is a mistake (or an attack), never read whole.</summary>
    public const int MaxFileBytes = 8 * 1024 * 1024;

    public string Path { get; }

    /// <summary>Quiet time after the last change event before the file is read (editors write in steps).</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(300);

    public ConfigReloadStatus Status { get; } = new();

    /// <summary>Set once the services exist: returns the errors of a candidate, empty when it may be applied.</summary>
    public Func<IConfigurationProvider, IDictionary<string, string?>, IReadOnlyList<string>>? Validate { get; set; }

    /// <summary>Set once logging exists; the initial load reports through exceptions instead.</summary>
    public ILogger? Logger { get; set; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new ConfigFileProvider(this);
}
