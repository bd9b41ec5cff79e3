using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// The child keys of every section of one data set, built once. The stock <c>ConfigurationProvider.GetChildKeys</c>
/// scans every key for each section asked, and binding N routes asks for every route's sections: 10,000 routes took
/// minutes to load. Answers exactly as the stock method does (one entry per key below the parent, earlier keys added,
/// sorted with <see cref="ConfigurationKeyComparer"/>). A section's keys are sorted the first time they are asked for
/// and kept: with no earlier keys (no provider before this one has keys there) the answer is a copy, not another sort
/// of 50,000 route keys.
/// </summary>
internal sealed class ChildKeyIndex
{
    private static readonly ConditionalWeakTable<IDictionary<string, string?>, ChildKeyIndex> Built = new();
    private readonly ChildKeys _root = new();
    private readonly Dictionary<string, ChildKeys> _children = new(StringComparer.OrdinalIgnoreCase);

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
                parent.Unsorted.Add(end < 0 ? key[start..] : key[start..end]);
                if (end < 0)
                {
                    break;
                }

                var path = key[..end];
                if (!_children.TryGetValue(path, out parent))
                {
                    _children[path] = parent = new ChildKeys();
                }

                start = end + 1;
            }
        }
    }

    /// <summary>
    /// The index of a data set, built once however many read it: an edit's candidate, then the live provider once the edit
    /// is applied. The data must not change while indexed (<see cref="Forget"/> when it does).
    /// </summary>
    public static ChildKeyIndex Of(IDictionary<string, string?> data) => Built.GetValue(data, static data => new ChildKeyIndex(data));

    public static void Forget(IDictionary<string, string?> data) => Built.Remove(data);

    /// <summary>The data this index was built from (a provider builds a new one when its data is replaced).</summary>
    public IDictionary<string, string?> Data { get; }

    public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var keys = parentPath is null ? _root : _children.GetValueOrDefault(parentPath);
        List<string> results = keys is null ? [] : [.. keys.Sorted()];
        if (earlierKeys.TryGetNonEnumeratedCount(out var count) && count == 0)
        {
            return results;
        }

        results.AddRange(earlierKeys);
        results.Sort(ConfigurationKeyComparer.Instance);
        return results;
    }

    /// <summary>One section's keys; the sorted copy is made once (two threads may both make it: equal arrays, either one kept).</summary>
    private sealed class ChildKeys
    {
        private string[]? _sorted;

        public List<string> Unsorted { get; } = [];

        public string[] Sorted()
        {
            if (_sorted is { } sorted)
            {
                return sorted;
            }

            sorted = [.. Unsorted];
            Array.Sort(sorted, ConfigurationKeyComparer.Instance);
            return _sorted = sorted;
        }
    }
}
