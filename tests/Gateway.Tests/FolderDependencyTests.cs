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

    private static Dictionary<string, HashSet<string>> ReadGraph()
    {
        var source = Path.Combine(Repository.Root, "src", "Gateway");
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (Namespace().Match(text) is not { Success: true } declared || declared.Groups["folder"].Value.Length == 0)
            {
                continue; // the composition root (namespace Gateway) wires every folder by design
            }

            var folder = declared.Groups["folder"].Value;
            var dependencies = graph.TryGetValue(folder, out var existing) ? existing : graph[folder] = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match reference in Reference().Matches(text))
            {
                if (reference.Groups["folder"].Value != folder)
                {
                    dependencies.Add(reference.Groups["folder"].Value);
                }
            }
        }

        return graph;
    }

    [GeneratedRegex(@"^namespace Gateway(?:\.(?<folder>[A-Za-z]+))?[.\w]*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    // "using Gateway.Maintenance;", "using Gateway.Errors.StatusGuide;" or a qualified "Gateway.Maintenance.MaintenanceState".
    [GeneratedRegex(@"\bGateway\.(?<folder>[A-Z][A-Za-z]+)\b(?=[.;])")]
    private static partial Regex Reference();
}
