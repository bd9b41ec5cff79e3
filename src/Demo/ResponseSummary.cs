using System.Globalization;
using Gateway.Observability;

namespace Demo;

/// <summary>
/// The public port's responses by class and origin, read from the gateway's own counter (gateway_responses_total), so a
/// user's own curls count as much as the traffic generator's. Read only: the gateway's books are not touched.
/// </summary>
public sealed class ResponseSummary
{
    private const string Upstream = "upstream";
    private readonly Dictionary<(string Class, string Origin), double> _counts;

    private ResponseSummary(Dictionary<(string Class, string Origin), double> counts) => _counts = counts;

    /// <summary>Responses in this summary.</summary>
    public long Total => (long)_counts.Values.Sum();

    /// <summary>The totals since the gateway started.</summary>
    public static ResponseSummary Read(ObservabilityMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var names = metrics.Responses.LabelNames;
        int statusClass = Array.IndexOf(names, "class"), origin = Array.IndexOf(names, "origin");
        var counts = new Dictionary<(string, string), double>();
        foreach (var labels in metrics.Responses.GetAllLabelValues())
        {
            var key = (labels[statusClass], labels[origin]);
            counts[key] = counts.GetValueOrDefault(key) + metrics.Responses.WithLabels(labels).Value;
        }

        return new ResponseSummary(counts);
    }

    /// <summary>What was answered between <paramref name="earlier"/> and this summary.</summary>
    public ResponseSummary Since(ResponseSummary earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        // A series dropped with an edited route would count down: never below 0.
        return new ResponseSummary(_counts
            .Select(pair => (pair.Key, Count: pair.Value - earlier._counts.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Count > 0)
            .ToDictionary(pair => pair.Key, pair => pair.Count));
    }

    /// <summary>
    /// "2xx 46 · 4xx 27 (ratelimit 25, auth 2) · 5xx 1 (timeout 1)": each class, and in parentheses who decided the
    /// status (most first): always for 4xx and 5xx, for the other classes only when the gateway answered some itself
    /// (cache, redirect). Empty when nothing was answered.
    /// </summary>
    public override string ToString() => string.Join(" · ", _counts
        .GroupBy(pair => pair.Key.Class, pair => (pair.Key.Origin, Count: (long)pair.Value))
        .OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => Describe(group.Key, [.. group.OrderByDescending(origin => origin.Count).ThenBy(origin => origin.Origin, StringComparer.Ordinal)])));

    private static string Describe(string statusClass, (string Origin, long Count)[] origins)
    {
        var total = origins.Sum(origin => origin.Count);
        var text = string.Create(CultureInfo.InvariantCulture, $"{statusClass} {total}");
        var isError = statusClass is "4xx" or "5xx";
        return isError || origins.Any(origin => origin.Origin != Upstream)
            ? text + " (" + string.Join(", ", origins.Select(origin => string.Create(CultureInfo.InvariantCulture, $"{origin.Origin} {origin.Count}"))) + ")"
            : text;
    }
}
