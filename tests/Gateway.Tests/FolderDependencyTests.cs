using System.Text.RegularExpressions;

namespace Gateway.Tests;

/// <summary>
/// The folders of src/Gateway (one namespace each) depend on each other in one direction: no cycles, and the
/// base layer (configuration, listeners, problems and the status guide) depends on no feature. Read from the
/// sources: a folder depends on another when one of its files has a using of it or names a type qualified by it.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string[] BaseLayer = ["Configuration", "Hosting", "Errors", "Utilities"];

    private static readonly Lazy<Dictionary<string, HashSet<string>>> Graph = new(ReadGraph);

    [Fact]
    public void The_folders_are_read()
    {
        Assert.Superset(new HashSet<string>(["Admin", "Auth", "Configuration", "Errors", "Maintenance", "RateLimiting", "Routing"]), Graph.Value.Keys.ToHashSet());
        Assert.Contains("Errors", Graph.Value["Admin"]);
    }

    [Fact]
    public void No_folder_depends_on_itself_through_others()
    {
        var cycles = Graph.Value.Keys.Select(Cycle).OfType<string>().Distinct().ToList();
        Assert.True(cycles.Count == 0, "cycles: " + string.Join("; ", cycles));
    }

    [Fact]
    public void The_base_layer_depends_on_no_feature()
    {
        var offending = BaseLayer
            .SelectMany(folder => Graph.Value.GetValueOrDefault(folder, []).Where(dependency => !BaseLayer.Contains(dependency)).Select(dependency => $"{folder} -> {dependency}"))
            .ToList();
        Assert.Empty(offending);
    }

    [Theory]
    [InlineData("A -> B, B -> C", null)]
    [InlineData("A -> B, B -> A", "A -> B -> A")]
    [InlineData("A -> B, B -> C, C -> A", "A -> B -> C -> A")]
    public void A_cycle_is_found_and_named(string edges, string? cycle)
    {
        var graph = edges.Split(", ").Select(edge => edge.Split(" -> "))
            .GroupBy(pair => pair[0], pair => pair[1])
            .ToDictionary(group => group.Key, group => group.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(cycle, CycleFrom("A", graph));
    }

    private static string? Cycle(string start) => CycleFrom(start, Graph.Value);

    /// <summary>A path from <paramref name="start"/> back to itself, as "A -> B -> A", or null.</summary>
    private static string? CycleFrom(string start, Dictionary<string, HashSet<string>> graph)
    {
        var path = new List<string> { start };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Walk(start);

        string? Walk(string node)
        {
            foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    return string.Join(" -> ", path.Append(start));
                }

                if (seen.Add(next))
                {
                    path.Add(next);
                    if (Walk(next) is { } found)
                    {
                        return found;
                    }

                    path.RemoveAt(path.Count - 1);
                }
            }

            return null;
        }
    }

    [Theory]
    [InlineData("using Gateway.Maintenance;", "Maintenance")]
    [InlineData("var s = Gateway.Maintenance.MaintenanceState.Off;", "Maintenance")]
    [InlineData("using static Gateway.Errors.StatusGuide.Guide;", "Errors")]
    [InlineData("global::Gateway.Store.RedisStore store", "Store")]
    [InlineData("Maintenance.MaintenanceState state", "Maintenance")]
    [InlineData("result.Errors.Add(x); Errors.Add(y);", "")]
    [InlineData("Store.Unknown x", "")]
    public void A_reference_is_found_with_or_without_the_root_namespace(string text, string expected)
    {
        var types = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["Maintenance"] = ["MaintenanceState"],
            ["Errors"] = ["Guide"],
            ["Store"] = ["RedisStore"],
        };
        Assert.Equal(expected, string.Join(",", References(text, types).Order(StringComparer.Ordinal)));
    }

    private static Dictionary<string, HashSet<string>> ReadGraph()
    {
        var source = Path.Combine(Repository.Root, "src", "Gateway");
        var files = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .Select(text => (Text: text, Folder: Namespace().Match(text) is { Success: true } declared ? declared.Groups["folder"].Value : ""))
            .ToList();

        // The types each folder declares, so a reference written without "Gateway." (Maintenance.MaintenanceState,
        // legal inside namespace Gateway.*) is told from a member that happens to share a folder's name.
        var types = files.Where(file => file.Folder.Length > 0)
            .GroupBy(file => file.Folder, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.SelectMany(file => Declaration().Matches(file.Text).Select(match => match.Groups["type"].Value)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (text, folder) in files.Where(file => file.Folder.Length > 0))
        {
            // The composition root (namespace Gateway) wires every folder by design and is left out.
            var dependencies = graph.TryGetValue(folder, out var existing) ? existing : graph[folder] = new HashSet<string>(StringComparer.Ordinal);
            dependencies.UnionWith(References(text, types).Where(reference => reference != folder));
        }

        return graph;
    }

    private static IEnumerable<string> References(string text, IReadOnlyDictionary<string, HashSet<string>> types) =>
        Reference().Matches(text).Select(match => match.Groups["folder"].Value)
            .Concat(Unprefixed().Matches(text)
                .Where(match => types.TryGetValue(match.Groups["folder"].Value, out var declared) && declared.Contains(match.Groups["type"].Value))
                .Select(match => match.Groups["folder"].Value))
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"^namespace Gateway(?:\.(?<folder>[A-Za-z]+))?[.\w]*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    // "using Gateway.Maintenance;", "using Gateway.Errors.StatusGuide;" or a qualified "Gateway.Maintenance.MaintenanceState".
    [GeneratedRegex(@"\bGateway\.(?<folder>[A-Z][A-Za-z]+)\b(?=[.;])")]
    private static partial Regex Reference();

    // "Maintenance.MaintenanceState" not preceded by a dot or a word character (so not "result.Errors").
    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z][A-Za-z]+)\.(?<type>[A-Z]\w*)")]
    private static partial Regex Unprefixed();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?: struct| class)?)\s+(?<type>[A-Z]\w*)")]
    private static partial Regex Declaration();
}
