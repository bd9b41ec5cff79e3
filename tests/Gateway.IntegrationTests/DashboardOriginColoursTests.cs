using System.Text.Json;
using Gateway.Errors;

namespace Gateway.IntegrationTests;

/// <summary>
/// Every origin the gateway can produce has one fixed colour (a field override by name) in every panel that splits by
/// origin, the same in both dashboards, so a new origin cannot appear in a random palette colour or share one.
/// </summary>
public sealed class DashboardOriginColoursTests
{
    private static readonly string[] Origins = [.. Enum.GetValues<GatewayOrigin>().Select(origin => origin.ToLabel()).Distinct()];

    [Fact]
    public void Every_origin_has_a_fixed_colour_in_every_panel_split_by_origin()
    {
        var colours = new Dictionary<string, HashSet<string>>();
        var panels = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "grafana", "dashboards"), "*.json"))
        {
            using var dashboard = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in PrometheusDashboardsTests.Panels(dashboard.RootElement).Where(SplitsByOrigin))
            {
                panels++;
                var where = $"{Path.GetFileName(file)} / {panel.GetProperty("title").GetString()}";
                var overrides = FixedColours(panel);
                var missing = Origins.Where(origin => !overrides.ContainsKey(origin)).ToList();
                Assert.True(missing.Count == 0, $"{where}: no fixed colour for {string.Join(", ", missing)}");
                Assert.True(overrides.Values.Distinct().Count() == overrides.Count, $"{where}: two origins share a colour");
                foreach (var (origin, colour) in overrides)
                {
                    (colours.TryGetValue(origin, out var seen) ? seen : colours[origin] = []).Add(colour);
                }
            }
        }

        Assert.True(panels >= 5, $"only {panels} panels split by origin");
        Assert.All(colours, pair => Assert.True(pair.Value.Count == 1, $"{pair.Key} has several colours: {string.Join(", ", pair.Value)}"));
    }

    private static bool SplitsByOrigin(JsonElement panel) =>
        panel.TryGetProperty("targets", out var targets)
        && targets.EnumerateArray().Any(target => target.TryGetProperty("legendFormat", out var legend) && legend.GetString() == "{{origin}}");

    private static Dictionary<string, string> FixedColours(JsonElement panel) =>
        panel.GetProperty("fieldConfig").GetProperty("overrides").EnumerateArray()
            .Where(entry => entry.GetProperty("matcher").GetProperty("id").GetString() == "byName")
            .SelectMany(entry => entry.GetProperty("properties").EnumerateArray()
                .Where(property => property.GetProperty("id").GetString() == "color" && property.GetProperty("value").GetProperty("mode").GetString() == "fixed")
                .Select(property => (Origin: entry.GetProperty("matcher").GetProperty("options").GetString()!,
                    Colour: property.GetProperty("value").GetProperty("fixedColor").GetString()!)))
            .ToDictionary(pair => pair.Origin, pair => pair.Colour);
}
