using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Utilities;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Errors.StatusGuide;

/// <summary>
/// Fills an origin's explanation with the live facts of a route: its cluster, timeout, body limit and
/// health-check interval here, and what each feature adds through its <see cref="IStatusFactSource"/>.
/// </summary>
internal sealed partial class StatusFacts(
    IProxyStateLookup proxy,
    IEnumerable<IStatusFactSource> sources,
    IOptions<KestrelServerOptions> kestrel,
    IOptions<ActiveHealthCheckMonitorOptions> healthChecks)
{
    private readonly IStatusFactSource[] _sources = [.. sources];

    /// <summary>
    /// The facts for <paramref name="routeId"/>. Destination ids and their health are for operators: only the admin
    /// port's pages (<paramref name="adminPort"/>) name them; a public page says where to look.
    /// </summary>
    public Dictionary<string, string> Facts(string? routeId, bool adminPort)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["route"] = routeId ?? "(unknown route)",
            ["cluster"] = "(unknown cluster)",
            ["timeout"] = "(no timeout known)",
            ["bodyLimit"] = Bytes(kestrel.Value.Limits.MaxRequestBodySize),
            // The limits Kestrel enforces before the gateway runs (400/408/414/431 with an empty body).
            ["requestLineLimit"] = Bytes(kestrel.Value.Limits.MaxRequestLineSize),
            ["headersLimit"] = Bytes(kestrel.Value.Limits.MaxRequestHeadersTotalSize),
            ["headerCountLimit"] = Bytes(kestrel.Value.Limits.MaxRequestHeaderCount),
            ["headersTimeout"] = Span(kestrel.Value.Limits.RequestHeadersTimeout),
            ["healthCheckInterval"] = Span(healthChecks.Value.DefaultInterval),
            ["destinationHealth"] = "the operators see each destination's health on the gateway's admin port",
        };
        var route = routeId is not null && proxy.TryGetRoute(routeId, out var found) ? found : null;
        if (route is not null)
        {
            AddRouteFacts(route, facts, adminPort);
        }

        foreach (var source in _sources)
        {
            source.AddFacts(route, facts);
        }

        return facts;
    }

    private void AddRouteFacts(RouteModel route, Dictionary<string, string> facts, bool adminPort)
    {
        var config = route.Config;
        facts["cluster"] = config.ClusterId ?? facts["cluster"];
        var cluster = config.ClusterId is { } clusterId && proxy.TryGetCluster(clusterId, out var state) ? state : null;
        if ((config.Timeout ?? cluster?.Model.Config.HttpRequest?.ActivityTimeout) is { } timeout)
        {
            facts["timeout"] = Span(timeout);
        }

        if (config.MaxRequestBodySize is { } bodyLimit)
        {
            facts["bodyLimit"] = bodyLimit < 0 ? "no limit" : Bytes(bodyLimit);
        }

        if (cluster?.Model.Config.HealthCheck?.Active?.Interval is { } interval)
        {
            facts["healthCheckInterval"] = Span(interval);
        }

        if (cluster is not null && adminPort)
        {
            facts["destinationHealth"] = DestinationHealthText(cluster);
        }
    }

    /// <summary>Which check marked which destination: the active probes, or passive health (failures of real requests).</summary>
    private static string DestinationHealthText(ClusterState cluster) => string.Join("; ", cluster.Destinations.Values
        .OrderBy(destination => destination.DestinationId, StringComparer.Ordinal)
        .Select(destination => (destination.Health.Active, destination.Health.Passive) switch
        {
            (DestinationHealth.Unhealthy, DestinationHealth.Unhealthy) => $"{destination.DestinationId}: unhealthy by the active probes and by passive health",
            (DestinationHealth.Unhealthy, _) => $"{destination.DestinationId}: unhealthy by the active probes",
            (_, DestinationHealth.Unhealthy) => $"{destination.DestinationId}: unhealthy by passive health (failed real requests)",
            _ => $"{destination.DestinationId}: available",
        }));

    public static string Fill(string text, Dictionary<string, string> facts) =>
        Placeholder().Replace(text, match => facts.TryGetValue(match.Groups[1].Value, out var value) ? value : match.Value);

    public static string Span(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>Whole seconds, rounded up, at least 1: as a Retry-After value.</summary>
    public static string Seconds(TimeSpan span) => RetryAfterSeconds.Text(span);

    // The guide's text says "{bodyLimit} bytes".
    private static string Bytes(long? bytes) => bytes is { } value ? value.ToString(CultureInfo.InvariantCulture) : "no limit";

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}
