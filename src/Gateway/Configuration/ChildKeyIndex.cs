using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

/// <summary>
/// The child keys of every section of one data set, built once. The stock <c>ConfigurationProvider.GetChildKeys</c>
/// scans every key for each section asked, and binding N routes asks for every route's sections: 10,000 routes took
/// minutes to load. Lists each child spelling once, earlier keys added, sorted with <see cref="ConfigurationKeyComparer"/>;
/// the stock method lists a child once per key below it, so the routes' section held 50,000 entries to sort for 10,000
/// routes. <c>ConfigurationRoot</c> keeps each key once, ignoring case, so it sees the same children and values as over
/// the stock scan; only where a child is spelt two ways ("Users" and "users"), or the comparer calls two names equal
/// ("2" and "+2"), may it keep another spelling or order (the stock scan's pick depends on how many entries it sorts).
/// A section's keys are sorted the first time they are asked for and kept: with no earlier keys (no provider before
/// this one has keys there) the answer is a copy, not another sort.
/// </summary>
internal sealed class ChildKeyIndex
{
    private static readonly ConditionalWeakTable<IDictionary<string, string?>, ChildKeyIndex> Built = new();
    private readonly ChildKeys _root = new();
    private readonly Dictionary<string, ChildKeys> _children;

    public ChildKeyIndex(IDictionary<string, string?> data)
    {
        Data = data;
        // About as many sections as keys (a route of 3 keys opens 4): sized once rather than grown step by step.
        _children = new(data.Count, StringComparer.OrdinalIgnoreCase);
        var sections = _children.GetAlternateLookup<ReadOnlySpan<char>>();
        // The previous key's sections, outermost first: keys come in the file's order, so a key mostly shares its
        // first sections with the one before, and those need no lookup (and their names are listed already).
        var previous = new List<(int End, string Name, ChildKeys Keys)>();
        foreach (var key in data.Keys)
        {
            var start = 0;
            var parent = _root;
            var depth = 0;
            var shared = true;
            while (true)
            {
                var end = key.IndexOf(ConfigurationPath.KeyDelimiter, start, StringComparison.Ordinal);
                if (end < 0)
                {
                    parent.Add(key.AsSpan(start));
                    break;
                }

                var name = key.AsSpan(start, end - start);
                if (shared && depth < previous.Count && previous[depth].End == end && name.SequenceEqual(previous[depth].Name))
                {
                    parent = previous[depth].Keys;
                }
                else
                {
                    if (shared)
                    {
                        shared = false;
                        previous.RemoveRange(depth, previous.Count - depth);
                    }

                    var named = parent.Add(name);
                    if (!sections.TryGetValue(key.AsSpan(0, end), out var child))
                    {
                        _children[key[..end]] = child = new ChildKeys();
                    }

                    previous.Add((end, named, child));
                    parent = child;
                }

                depth++;
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

    /// <summary>
    /// One section's keys, each spelling once. A child's keys mostly come one after another (the file's order), so a name
    /// equal to the last one added is not added again; the rest of the repeats go when the keys are sorted. The sorted
    /// copy is made once (two threads may both make it: equal arrays, either one kept).
    /// </summary>
    private sealed class ChildKeys
    {
        private readonly List<string> _names = [];
        private string[]? _sorted;

        /// <summary>Lists <paramref name="name"/> and returns the string kept for it.</summary>
        public string Add(ReadOnlySpan<char> name)
        {
            if (_names.Count > 0 && name.SequenceEqual(_names[^1]))
            {
                return _names[^1];
            }

            var kept = name.ToString();
            _names.Add(kept);
            return kept;
        }

        public string[] Sorted()
        {
            if (_sorted is { } sorted)
            {
                return sorted;
            }

            var names = _names.ToArray();
            Array.Sort(names, ConfigurationKeyComparer.Instance);
            return _sorted = WithoutRepeats(names);
        }

        /// <summary>Each spelling once: a repeat sorts among the names the comparer calls equal (the same name in any case).</summary>
        private static string[] WithoutRepeats(string[] sorted)
        {
            var kept = new List<string>(sorted.Length);
            var run = 0; // where the names equal to the current one start in kept
            foreach (var name in sorted)
            {
                if (kept.Count > run && ConfigurationKeyComparer.Instance.Compare(kept[run], name) != 0)
                {
                    run = kept.Count;
                }

                if (!kept.Skip(run).Contains(name, StringComparer.Ordinal))
                {
                    kept.Add(name);
                }
            }

            return kept.Count == sorted.Length ? sorted : [.. kept];
        }
    }
}
