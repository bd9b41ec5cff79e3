using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Primitives;

namespace Gateway.Configuration;

/// <summary>
/// The configuration as it would be if the file's new content were applied: the live providers in
/// their order (so environment and command-line overrides still win), with the file's provider
/// swapped for the candidate data. Nothing is loaded again and nothing is watched.
/// </summary>
internal static class ConfigCandidate
{
    public static IConfiguration Create(IConfigurationRoot live, IConfigurationProvider replaced, IDictionary<string, string?> data)
    {
        var candidate = new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = data });
        var providers = live.Providers
            .Select(provider => (IConfigurationProvider)(ReferenceEquals(provider, replaced)
                ? new FrozenProvider(candidate, new ChildKeyIndex(data))
                : new FrozenProvider(provider, null)))
            .ToList();
        return new ConfigurationRoot(providers);
    }

    /// <summary>
    /// The identity of the config file's data <paramref name="configuration"/> reads: a candidate's, or the live file
    /// provider's (after an edit is applied, the same dictionary the candidate was made of); null when neither.
    /// </summary>
    public static object? FileDataOf(IConfiguration configuration) =>
        (configuration as IConfigurationRoot)?.Providers
            .Select(provider => provider switch
            {
                FrozenProvider { Index: { } index } => index.Data,
                ConfigFileProvider file => file.CurrentData,
                _ => null,
            })
            .FirstOrDefault(data => data is not null);

    /// <summary>A provider as it is now; the candidate's own keys are indexed (<see cref="ChildKeyIndex"/>).</summary>
    private sealed class FrozenProvider(IConfigurationProvider inner, ChildKeyIndex? index) : IConfigurationProvider
    {
        private static readonly IChangeToken NeverChanges = new CancellationChangeToken(CancellationToken.None);

        public ChildKeyIndex? Index => index;

        public bool TryGet(string key, out string? value) => inner.TryGet(key, out value);

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
            index?.GetChildKeys(earlierKeys, parentPath) ?? inner.GetChildKeys(earlierKeys, parentPath);

        public IChangeToken GetReloadToken() => NeverChanges;

        public void Load()
        {
        }

        public void Set(string key, string? value)
        {
        }
    }
}
