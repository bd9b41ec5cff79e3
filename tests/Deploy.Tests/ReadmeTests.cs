using System.Text.RegularExpressions;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests;

/// <summary>The README's facts about compose (how many services, which ports) against docker-compose.yml, and no path out of the repository.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string[] Numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    private readonly Compose _compose = Compose.Load();
    private readonly string _readme = Repository.Read("README.md");

    [Fact]
    public void Every_count_of_compose_services_is_the_number_compose_starts()
    {
        var counts = ServiceCount().Matches(_readme).Select(match => match.Groups["n"].Value.ToLowerInvariant())
            .Where(word => Numbers.Contains(word)).ToList();
        Assert.NotEmpty(counts);
        Assert.All(counts, count => Assert.Equal(Numbers[_compose.Services.Count], count));
    }

    [Fact]
    public void The_ports_table_names_every_port_compose_publishes_and_every_service_port_of_the_demo()
    {
        var section = Section("## Ports");
        var rows = section.Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal)).ToList();
        var named = rows.SelectMany(row => PortNumber().Matches(row.Split('|')[1]).Select(match => int.Parse(match.Value, System.Globalization.CultureInfo.InvariantCulture))).ToHashSet();
        var published = _compose.Services.Values.SelectMany(Compose.PublishedPorts).Select(port => port.Host);
        Assert.Empty(published.Except(named));
        // The native demo's fixed upstream ports (src/Demo/Program.cs) and the closed port the "nowhere" clusters name.
        var demo = Directory.EnumerateFiles(Repository.PathOf("src/Demo"), "*.cs").SelectMany(file => LoopbackPort().Matches(File.ReadAllText(file)))
            .Select(match => int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(demo.Append(5009).Except(named));
    }

    [Fact]
    public void No_markdown_file_points_outside_the_repository()
    {
        var files = Directory.EnumerateFiles(Repository.Root, "*.md", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var outside = files.SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(hit => hit.line.Contains("../shared", StringComparison.Ordinal) || hit.line.Contains("our machines", StringComparison.OrdinalIgnoreCase))
            .Select(hit => $"{Path.GetRelativePath(Repository.Root, hit.path)}:{hit.index + 1}")
            .ToList();
        Assert.Empty(outside);
    }

    private string Section(string heading)
    {
        var start = _readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}' section");
        var end = _readme.IndexOf("\n## ", start + heading.Length + 2, StringComparison.Ordinal);
        return end < 0 ? _readme[start..] : _readme[start..end];
    }

    [GeneratedRegex(@"\b(?<n>[A-Za-z]+) services\b", RegexOptions.IgnoreCase)]
    private static partial Regex ServiceCount();

    [GeneratedRegex(@"127\.0\.0\.1:(?<port>\d{4,5})")]
    private static partial Regex LoopbackPort();

    [GeneratedRegex(@"\b\d{4,5}\b")]
    private static partial Regex PortNumber();
}
