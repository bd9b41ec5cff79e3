using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// The metric families /metrics exposes after a typical run (name, type, label names, help) equal a checked-in
/// list, so moving an instrument between folders cannot drop or rename one unnoticed. A deliberate change of a
/// series edits MetricFamilies.txt in the same commit.
/// </summary>
public sealed partial class MetricFamiliesTests : PerTestGateway
{
    private static readonly string ListPath = Path.Combine(Repository.Root, "tests", "Gateway.IntegrationTests", "MetricFamilies.txt");

    [Fact]
    public async Task The_families_after_a_typical_run_are_the_checked_in_list()
    {
        foreach (var path in new[] { "/api/users/1", "/api/products", "/api/products", "/no/such/route", "/unreachable/x", "/chaos/status/503" })
        {
            using (await Client.GetAsync(new Uri(path, UriKind.Relative)))
            {
            }
        }

        for (var i = 0; i < 12; i++)
        {
            using (await Client.GetAsync(new Uri("/api/search?q=phones", UriKind.Relative)))
            {
            }
        }

        using (await Gateway.AdminAsync(HttpMethod.Get, "/admin/routes", key: "not-a-key"))
        {
        }

        var (text, _) = await MetricsScrape.ReadAsync(Gateway);

        Assert.Equal(File.ReadAllText(ListPath).ReplaceLineEndings("\n").TrimEnd(), string.Join('\n', Families(text)));
    }

    [Fact]
    public void A_family_is_read_with_its_type_labels_and_help()
    {
        const string text = """
            # HELP demo_seconds Time it took.
            # TYPE demo_seconds histogram
            demo_seconds_bucket{route="a",le="0.1"} 1
            demo_seconds_sum{route="a"} 0.05
            demo_seconds_count{route="a"} 1
            # HELP demo_up 1 when up.
            # TYPE demo_up gauge
            demo_up 1
            """;
        Assert.Equal(["demo_seconds histogram {route} Time it took.", "demo_up gauge {} 1 when up."], Families(text));
    }

    /// <summary>One line per family, sorted: name, type, the label names its series carry (le aside), help.</summary>
    private static List<string> Families(string exposition)
    {
        var lines = exposition.ReplaceLineEndings("\n").Split('\n');
        var help = lines.Select(line => Help().Match(line)).Where(match => match.Success)
            .ToDictionary(match => match.Groups["name"].Value, match => match.Groups["text"].Value, StringComparer.Ordinal);
        var types = lines.Select(line => Type().Match(line)).Where(match => match.Success)
            .ToDictionary(match => match.Groups["name"].Value, match => match.Groups["type"].Value, StringComparer.Ordinal);
        var labels = lines.Select(line => Sample().Match(line)).Where(match => match.Success)
            .Select(match => (Family: FamilyOf(match.Groups["name"].Value, types), Names: LabelName().Matches(match.Value).Select(label => label.Groups[1].Value)))
            .GroupBy(sample => sample.Family, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.SelectMany(sample => sample.Names).Where(name => name != "le").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return types.Keys.Order(StringComparer.Ordinal)
            .Select(name => $"{name} {types[name]} {{{string.Join(',', labels.GetValueOrDefault(name, []))}}} {help.GetValueOrDefault(name, "")}")
            .ToList();
    }

    /// <summary>A histogram's samples are its name with _bucket, _sum or _count.</summary>
    private static string FamilyOf(string sample, Dictionary<string, string> types) =>
        types.ContainsKey(sample) ? sample : sample[..sample.LastIndexOf('_')];

    [GeneratedRegex(@"^# HELP (?<name>\S+) (?<text>.*)$")]
    private static partial Regex Help();

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$")]
    private static partial Regex Type();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ")]
    private static partial Regex Sample();

    [GeneratedRegex(@"[{,](\w+)=""")]
    private static partial Regex LabelName();
}
