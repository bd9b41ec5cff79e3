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
                ? new FrozenProvider(candidate, ChildKeyIndex.Of(data))
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

    /// <summary>
    /// The keys and values below each child of <paramref name="path"/> (every key with a value, spelt as the file spells
    /// it), from one pass over a candidate's file data: walking 10,000 routes section by section was a third of a
    /// reload. Null when <paramref name="configuration"/> is not a candidate or another provider has keys there (read the
    /// sections then).
    /// </summary>
    public static Dictionary<string, List<KeyValuePair<string, string?>>>? EntriesByChild(IConfiguration configuration, string path)
    {
        var providers = (configuration as ConfigurationRoot)?.Providers.OfType<FrozenProvider>().ToList();
        if (providers is not [_, ..] || providers.Count != ((ConfigurationRoot)configuration).Providers.Count()
            || providers.SingleOrDefault(provider => provider.Index is not null)?.Index is not { } file
            || providers.Any(provider => provider.Index is null && provider.HasKeysBelow(path)))
        {
            return null;
        }

        var prefix = path + ConfigurationPath.KeyDelimiter;
        var entries = new Dictionary<string, List<KeyValuePair<string, string?>>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in file.Data)
        {
            if (entry.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var end = entry.Key.IndexOf(ConfigurationPath.KeyDelimiter, prefix.Length, StringComparison.Ordinal);
                var child = end < 0 ? entry.Key[prefix.Length..] : entry.Key[prefix.Length..end];
                if (!entries.TryGetValue(child, out var list))
                {
                    entries[child] = list = [];
                }

                list.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>
    /// A provider as it is now; the candidate's own keys are indexed (<see cref="ChildKeyIndex"/>). Another provider's
    /// sections are listed once, here; where it has no keys (an environment variable rarely sets a route) the keys
    /// before it pass through as they came, already sorted. The stock provider scans all its keys for every section read,
    /// and sorts the keys before it again: 50,000 entries for 10,000 routes' section.
    /// </summary>
    private sealed class FrozenProvider : IConfigurationProvider
    {
        private static readonly IChangeToken NeverChanges = new CancellationChangeToken(CancellationToken.None);
        private readonly IConfigurationProvider _inner;
        private readonly HashSet<string> _parents = new(StringComparer.OrdinalIgnoreCase);
        private readonly bool _hasRootKeys;

        public FrozenProvider(IConfigurationProvider inner, ChildKeyIndex? index)
        {
            _inner = inner;
            Index = index;
            if (index is null)
            {
                _hasRootKeys = ListSections(inner, null);
            }
        }

        public ChildKeyIndex? Index { get; }

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (Index is not null)
            {
                return Index.GetChildKeys(earlierKeys, parentPath);
            }

            var earlier = earlierKeys as IReadOnlyList<string> ?? [.. earlierKeys];
            var hasKeys = parentPath is null ? _hasRootKeys : _parents.Contains(parentPath);
            return !hasKeys && IsSorted(earlier) ? earlier : _inner.GetChildKeys(earlier, parentPath);
        }

        public bool HasKeysBelow(string path) => _parents.Contains(path);

        /// <summary>Adds every section below <paramref name="path"/> that has keys; true when this one has.</summary>
        private bool ListSections(IConfigurationProvider provider, string? path)
        {
            var keys = provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            foreach (var key in keys)
            {
                var child = path is null ? key : ConfigurationPath.Combine(path, key);
                if (ListSections(provider, child))
                {
                    _parents.Add(child);
                }
            }

            return keys.Count > 0;
        }

        private static bool IsSorted(IReadOnlyList<string> keys)
        {
            for (var i = 1; i < keys.Count; i++)
            {
                if (ConfigurationKeyComparer.Instance.Compare(keys[i - 1], keys[i]) > 0)
                {
                    return false;
                }
            }

            return true;
        }

        public bool TryGet(string key, out string? value) => _inner.TryGet(key, out value);

        public IChangeToken GetReloadToken() => NeverChanges;

        public void Load()
        {
        }

        public void Set(string key, string? value)
        {
        }
    }
}
