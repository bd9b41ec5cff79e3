namespace Gateway.Admin;

/// <summary>
/// A route's gRPC outcomes on the status page: a gRPC error is an HTTP 200, so the route's 5xx never show it. Errors are
/// split by who made them: the upstream (passed through) or the gateway (by origin); <c>client</c> is a caller that left.
/// </summary>
internal static class RouteGrpcView
{
    private const string Ok = "OK";

    /// <summary>Null for a route without gRPC responses (nothing to show).</summary>
    public static object? Describe(Dictionary<string, double>? counts)
    {
        if (counts is null || counts.Count == 0)
        {
            return null;
        }

        var byOrigin = new SortedDictionary<string, SortedDictionary<string, double>>(StringComparer.Ordinal);
        double responses = 0, upstream = 0, gateway = 0, client = 0;
        foreach (var (key, value) in counts)
        {
            responses += value;
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            var (origin, code) = (key[..slash], key[(slash + 1)..]);
            if (code == Ok)
            {
                continue;
            }

            var codes = byOrigin.TryGetValue(origin, out var known) ? known : byOrigin[origin] = new(StringComparer.Ordinal);
            codes[code] = codes.GetValueOrDefault(code) + value;
            if (origin == "upstream")
            {
                upstream += value;
            }
            else if (origin == "client")
            {
                client += value;
            }
            else
            {
                gateway += value;
            }
        }

        return new { responses, errors = upstream + gateway + client, upstream, gateway, client, byOrigin };
    }
}
