using Gateway.Observability;

namespace Gateway.Admin;

/// <summary>Sums of gateway_responses_total by class, origin and route: one replica's, read from its live counter, or several added up.</summary>
internal sealed record ResponseCounts(Dictionary<string, double> ByClass, Dictionary<string, double> ByOrigin, Dictionary<string, RouteCounts> ByRoute)
{
    public double Requests => ByClass.Values.Sum();

    public static ResponseCounts Empty() => new([], [], []);

    public static ResponseCounts From(GatewayMetrics metrics)
    {
        var names = metrics.Responses.LabelNames;
        int route = Array.IndexOf(names, "route"), statusClass = Array.IndexOf(names, "class"), origin = Array.IndexOf(names, "origin");
        var counts = Empty();
        foreach (var labels in metrics.Responses.GetAllLabelValues())
        {
            var value = metrics.Responses.WithLabels(labels).Value;
            counts.Add(new([], [], [])
            {
                ByClass = { [labels[statusClass]] = value },
                ByOrigin = { [labels[origin]] = value },
                ByRoute = { [labels[route]] = new RouteCounts(value, labels[statusClass] == "5xx" ? value : 0) },
            });
        }

        return counts;
    }

    public ResponseCounts Plus(ResponseCounts other)
    {
        var sum = Empty();
        sum.Add(this);
        sum.Add(other);
        return sum;
    }

    private void Add(ResponseCounts other)
    {
        Sum(ByClass, other.ByClass);
        Sum(ByOrigin, other.ByOrigin);
        foreach (var (id, counts) in other.ByRoute)
        {
            var known = ByRoute.GetValueOrDefault(id) ?? new RouteCounts(0, 0);
            ByRoute[id] = new RouteCounts(known.Requests + counts.Requests, known.Errors + counts.Errors);
        }
    }

    private static void Sum(Dictionary<string, double> into, Dictionary<string, double> from)
    {
        foreach (var (key, value) in from)
        {
            into[key] = into.GetValueOrDefault(key) + value;
        }
    }
}
