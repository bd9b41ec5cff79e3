using System.Text.Json.Serialization;
using Gateway.Observability;

namespace Gateway.Admin;

/// <summary>
/// Sums of gateway_responses_total by class, origin and route, and of gateway_grpc_responses_total by route (<see cref="Grpc"/>):
/// one replica's, read from its live counters, or several added up.
/// </summary>
internal sealed record ResponseCounts(Dictionary<string, double> ByClass, Dictionary<string, double> ByOrigin, Dictionary<string, RouteCounts> ByRoute)
{
    /// <summary>
    /// Per route with gRPC responses, counts keyed <c>origin/CODE</c> (<see cref="GrpcKey"/>): a gRPC error is an HTTP 200,
    /// invisible in the other sums. Settable so a replica that published none (an older one) reads as empty.
    /// </summary>
    public Dictionary<string, Dictionary<string, double>> Grpc { get; init; } = [];

    [JsonIgnore]
    public double Requests => ByClass.Values.Sum();

    public static ResponseCounts Empty() => new([], [], []);

    public static ResponseCounts From(ObservabilityMetrics metrics)
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
                ByRoute = { [labels[route]] = new RouteCounts(value, labels[statusClass] == "5xx" ? value : 0, labels[origin] == "maintenance" ? value : 0) },
            });
        }

        names = metrics.GrpcResponses.LabelNames;
        int grpcRoute = Array.IndexOf(names, "route"), code = Array.IndexOf(names, "code"), grpcOrigin = Array.IndexOf(names, "origin");
        foreach (var labels in metrics.GrpcResponses.GetAllLabelValues())
        {
            var value = metrics.GrpcResponses.WithLabels(labels).Value;
            var perRoute = counts.Grpc.TryGetValue(labels[grpcRoute], out var known) ? known : counts.Grpc[labels[grpcRoute]] = [];
            var key = GrpcKey(labels[grpcOrigin], labels[code]);
            perRoute[key] = perRoute.GetValueOrDefault(key) + value;
        }

        return counts;
    }

    public static string GrpcKey(string origin, string code) => $"{origin}/{code}";

    public ResponseCounts Plus(ResponseCounts other)
    {
        var sum = Empty();
        sum.Add(this);
        sum.Add(other);
        return sum;
    }

    /// <summary>
    /// What grew since <paramref name="before"/>, an earlier reading of the same counter: only what is above 0, and
    /// no key that did not grow (a bucket keeps what happened in it, nothing else).
    /// </summary>
    public ResponseCounts Since(ResponseCounts before)
    {
        var growth = Empty();
        growth.Add(this, before, sign: -1);
        return growth;
    }

    /// <summary>Adds <paramref name="other"/> into this one (a bucket filling up).</summary>
    public void Add(ResponseCounts other) => Add(other, Empty(), sign: 1);

    private void Add(ResponseCounts other, ResponseCounts minus, int sign)
    {
        Sum(ByClass, other.ByClass, minus.ByClass, sign);
        Sum(ByOrigin, other.ByOrigin, minus.ByOrigin, sign);
        foreach (var (id, counts) in other.ByRoute)
        {
            var known = ByRoute.GetValueOrDefault(id) ?? new RouteCounts(0, 0);
            var less = minus.ByRoute.GetValueOrDefault(id) ?? new RouteCounts(0, 0);
            var sum = new RouteCounts(
                known.Requests + Math.Max(0, counts.Requests + (sign * less.Requests)),
                known.Errors + Math.Max(0, counts.Errors + (sign * less.Errors)),
                known.Maintenance + Math.Max(0, counts.Maintenance + (sign * less.Maintenance)));
            if (sum.Requests > 0 || sign > 0)
            {
                ByRoute[id] = sum;
            }
        }

        // Another replica's record comes from the store: a missing map or a key that is not origin/CODE is left out.
        foreach (var (id, codes) in other.Grpc ?? [])
        {
            if (codes is null)
            {
                continue;
            }

            var into = Grpc.GetValueOrDefault(id) ?? [];
            var wellFormed = codes.Where(code => code.Key.IndexOf('/', StringComparison.Ordinal) > 0).ToDictionary();
            Sum(into, wellFormed, minus.Grpc?.GetValueOrDefault(id) ?? [], sign);
            if (into.Count > 0)
            {
                Grpc[id] = into;
            }
        }
    }

    private static void Sum(Dictionary<string, double> into, Dictionary<string, double> from, Dictionary<string, double> minus, int sign)
    {
        foreach (var (key, value) in from)
        {
            var sum = into.GetValueOrDefault(key) + Math.Max(0, value + (sign * minus.GetValueOrDefault(key)));
            if (sum > 0 || sign > 0)
            {
                into[key] = sum;
            }
        }
    }
}
