using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.IntegrationTests.Infrastructure;

public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads the gateway's /metrics (Prometheus text format) the way a scraper would.</summary>
public static partial class MetricsScrape
{
    public static async Task<(string Text, List<MetricSample> Samples)> ReadAsync(GatewayInstance gateway)
    {
        var text = await gateway.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var samples = new List<MetricSample>();
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (match.Success)
            {
                var labels = LabelPair().Matches(match.Groups["labels"].Value)
                    .ToDictionary(pair => pair.Groups[1].Value, pair => pair.Groups[2].Value);
                samples.Add(new(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return (text, samples);
    }

    public static double Sum(this IEnumerable<MetricSample> samples, string name, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        samples.Where(sample => sample.Name == name && (where is null || where(sample.Labels))).Sum(sample => sample.Value);

    /// <summary>How much gateway_responses_total grew between two scrapes, per status class.</summary>
    public static Dictionary<string, double> ResponsesByClassSince(this IEnumerable<MetricSample> after, IEnumerable<MetricSample> before, IEnumerable<string> classes) =>
        classes.ToDictionary(
            statusClass => statusClass,
            statusClass => after.Sum("gateway_responses_total", labels => labels["class"] == statusClass)
                - before.Sum("gateway_responses_total", labels => labels["class"] == statusClass));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
