using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// The child keys of every section of one data set, built once. The stock <c>ConfigurationProvider.GetChildKeys</c>
/// scans every key for each section asked, and binding N routes asks for every route's sections: 10,000 routes took
/// minutes to load. Answers exactly as the stock method does (one entry per key below the parent, earlier keys added,
/// sorted with <see cref="ConfigurationKeyComparer"/>).
/// </summary>
internal sealed class ChildKeyIndex
{
    private readonly List<string> _root = [];
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.OrdinalIgnoreCase);

    public ChildKeyIndex(IDictionary<string, string?> data)
    {
        Data = data;
        foreach (var key in data.Keys)
        {
            var start = 0;
            var parent = _root;
            while (true)
            {
                var end = key.IndexOf(ConfigurationPath.KeyDelimiter, start, StringComparison.Ordinal);
                parent.Add(end < 0 ? key[start..] : key[start..end]);
                if (end < 0)
                {
                    break;
                }

                var path = key[..end];
                if (!_children.TryGetValue(path, out parent))
                {
                    _children[path] = parent = [];
                }

                start = end + 1;
            }
        }
    }

    /// <summary>The data this index was built from (a provider builds a new one when its data is replaced).</summary>
    public IDictionary<string, string?> Data { get; }

    public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        List<string> results = parentPath is null ? [.. _root] : _children.TryGetValue(parentPath, out var children) ? [.. children] : [];
        results.AddRange(earlierKeys);
        results.Sort(ConfigurationKeyComparer.Instance);
        return results;
    }
}
