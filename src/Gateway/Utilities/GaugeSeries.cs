using Prometheus;

namespace Gateway.Utilities;

/// <summary>Gauges read from live state just before each scrape: nothing is kept twice.</summary>
public static class GaugeSeries
{
    /// <summary>Sets the current series and drops those whose route, destination or section left.</summary>
    public static void SetAll(this Gauge gauge, IEnumerable<(string[] Labels, double Value)> current)
    {
        ArgumentNullException.ThrowIfNull(gauge);
        ArgumentNullException.ThrowIfNull(current);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (labels, value) in current)
        {
            gauge.WithLabels(labels).Set(value);
            keep.Add(string.Join('\n', labels));
        }

        foreach (var stale in gauge.GetAllLabelValues().Where(labels => !keep.Contains(string.Join('\n', labels))).ToList())
        {
            gauge.RemoveLabelled(stale);
        }
    }
}
