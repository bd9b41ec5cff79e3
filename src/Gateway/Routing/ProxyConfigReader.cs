using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>
/// Reads the <c>ReverseProxy</c> section into YARP's records, one route or cluster at a time, so an
/// error names the route, cluster or key that is wrong. Unknown keys are errors: a misspelt
/// <c>Adress</c> or <c>Timout</c> would otherwise be ignored without a word.
/// </summary>
internal static class ProxyConfigReader
{
    public const string SectionName = ReverseProxySection.Name;
    public const string SectionTextKey = "Gateway.SectionText";
    private static readonly string[] KnownSections = ["Routes", "Clusters"];

    /// <summary>Fewer routes to bind than this are bound on the reading thread: an edit's few are not worth the handoff.</summary>
    private const int ParallelBindingFrom = 64;

    public static ProxySnapshot Read(IConfiguration configuration, ICollection<string> errors, BoundRouteCache? cache = null)
    {
        var section = configuration.GetSection(SectionName);
        foreach (var unknown in section.GetChildren().Where(child => !KnownSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add($"{unknown.Path}: unknown key; {SectionName} holds only Routes and Clusters");
        }

        var clusters = new List<ClusterConfig>();
        foreach (var clusterSection in section.GetSection("Clusters").GetChildren())
        {
            if (SectionBinder.Bind<ClusterConfig>(clusterSection, errors, $"Cluster '{clusterSection.Key}'") is { } cluster)
            {
                clusters.Add(cluster with { ClusterId = clusterSection.Key, Destinations = Stamped(cluster.Destinations, clusterSection.GetSection("Destinations")) });
                CheckDestinations(clusterSection.Key, cluster, errors);
            }
        }

        var clusterIds = clusters.Select(cluster => cluster.ClusterId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var routes = new List<RouteConfig>();
        var entries = ConfigCandidate.EntriesByChild(configuration, ReverseProxySection.Routes);
        var sections = section.GetSection("Routes").GetChildren().ToList();
        var routeEntries = sections.Select(route => entries?.GetValueOrDefault(route.Key) ?? ValueEntries(route, [])).ToList();
        var texts = sections.Select((route, i) => SectionText(route, routeEntries[i])).ToList();
        var read = BindMissing(sections, routeEntries, texts, cache);
        for (var i = 0; i < sections.Count; i++)
        {
            foreach (var error in read[i].Errors)
            {
                errors.Add(error);
            }

            if (read[i].Route is { } route)
            {
                routes.Add(route);
                CheckClusterReference(sections[i].Key, route, clusterIds, errors);
            }
        }

        cache?.Replace(routes);
        return new ProxySnapshot(routes, clusters);
    }

    /// <summary>
    /// Each route from the cache, or read (by RouteEntryReader, or by the reflection binder for what that does not read,
    /// about 0.2 ms a route): on several threads when many are; errors stay with their route, so they are reported in
    /// the file's order.
    /// </summary>
    private static (RouteConfig? Route, List<string> Errors)[] BindMissing(
        List<IConfigurationSection> sections, List<List<KeyValuePair<string, string?>>> entries, List<string> texts, BoundRouteCache? cache)
    {
        var read = new (RouteConfig? Route, List<string> Errors)[sections.Count];
        var missing = new List<int>();
        for (var i = 0; i < sections.Count; i++)
        {
            read[i] = (cache?.Find(texts[i]), []);
            if (read[i].Route is null)
            {
                missing.Add(i);
            }
        }

        void Bind(int i)
        {
            var section = sections[i];
            var route = RouteEntryReader.TryRead(section.Key, BelowRoute(section.Key, entries[i]))
                ?? SectionBinder.Bind<RouteConfig>(section, read[i].Errors, $"Route '{section.Key}'");
            if (route is not null)
            {
                read[i].Route = Stamped(TransformNamesIgnoringCase(route with { RouteId = section.Key }), texts[i]);
            }
        }

        if (missing.Count >= ParallelBindingFrom)
        {
            try
            {
                Parallel.ForEach(missing, Bind);
            }
            catch (AggregateException ex)
            {
                // What one thread would have thrown, not "one or more errors occurred".
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
            }
        }
        else
        {
            missing.ForEach(Bind);
        }

        return read;
    }

    /// <summary>Every key below the section that has a value or no children, and its value (as <see cref="ConfigCandidate.EntriesByChild"/> lists them).</summary>
    private static List<KeyValuePair<string, string?>> ValueEntries(IConfigurationSection section, List<KeyValuePair<string, string?>> entries)
    {
        var leaf = true;
        foreach (var child in section.GetChildren())
        {
            leaf = false;
            ValueEntries(child, entries);
        }

        if (leaf || section.Value is not null)
        {
            entries.Add(new(section.Path, section.Value));
        }

        return entries;
    }

    /// <summary>Each entry's key below the route ("" for the route's own value), with its value.</summary>
    private static List<KeyValuePair<string, string?>> BelowRoute(string routeId, List<KeyValuePair<string, string?>> entries)
    {
        var below = RoutePathLength(routeId) + 1;
        return entries.ConvertAll(entry => new KeyValuePair<string, string?>(entry.Key.Length > below ? entry.Key[below..] : "", entry.Value));
    }

    // "ReverseProxy:Routes:<id>" however spelt: case-insensitive spellings are as long.
    private static int RoutePathLength(string routeId) => ReverseProxySection.Routes.Length + 1 + routeId.Length;

    /// <summary>
    /// The section's id (a route's, a destination's) and each entry's key below the section as spelt (a key's spelling
    /// reaches the route: transform and metadata names are kept as spelt), each with its value, in key order; each with
    /// its length, so no two different sections share a text. The live config and a candidate spell keys below the
    /// section alike, as the data does; the path above it is cut off by the section path's length, however spelt
    /// (case-insensitive spellings are as long).
    /// </summary>
    private static string SectionText(IConfigurationSection section) => SectionText(section, ValueEntries(section, []));

    /// <inheritdoc cref="SectionText(IConfigurationSection)"/>
    private static string SectionText(IConfigurationSection section, List<KeyValuePair<string, string?>> entries)
    {
        var (id, below) = (section.Key, section.Path.Length);
        var keyed = entries.ToArray(); // no two share a key below the section: the order is total
        Array.Sort(keyed, (a, b) => a.Key.AsSpan(below).SequenceCompareTo(b.Key.AsSpan(below)));
        var text = new System.Text.StringBuilder().Append(id.Length).Append(':').Append(id).Append('\n');
        foreach (var (fullKey, value) in keyed)
        {
            var key = fullKey.AsSpan(below);
            text.Append(key.Length).Append(':').Append(key);
            _ = value is null ? text.Append('-') : text.Append('=').Append(value.Length).Append(':').Append(value);
            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// YARP's own loader (ConfigurationConfigProvider) reads a transform's names ignoring case; the binder's dictionaries
    /// do not, so "pathset" would be an unknown transform here and a known one in YARP.
    /// </summary>
    private static RouteConfig TransformNamesIgnoringCase(RouteConfig route) => route.Transforms is null
        ? route
        : route with { Transforms = [.. route.Transforms.Select(transform => new Dictionary<string, string>(transform, StringComparer.OrdinalIgnoreCase))] };

    /// <summary>
    /// YARP reapplies a route only when RouteConfig.Equals says it changed, and that Equals leaves out
    /// MaxRequestBodySize (YARP 2.3) and compares the path and policy names ignoring case: an edit of only those would be
    /// dropped without a word. The section's text in the metadata (the string the bound-route cache keys on) makes every
    /// edit a change; a SHA-256 of it did this before and cost 8% of loading 10,000 routes. ProxyConfigReaderTests pins it.
    /// </summary>
    private static RouteConfig Stamped(RouteConfig route, string sectionText) =>
        route with { Metadata = WithText(route.Metadata, sectionText) };

    /// <summary>
    /// The same for destinations: DestinationConfig.Equals compares Address, Health and Host ignoring case, so an edit
    /// of an upstream path from /V1/ to /v1/ was counted applied and never taken. The rest of ClusterConfig.Equals sees
    /// every field; it ignores case only in policy names, which YARP resolves ignoring case, and in the affinity cookie's
    /// domain (ProxyConfigReaderTests pins both).
    /// </summary>
    private static Dictionary<string, DestinationConfig>? Stamped(IReadOnlyDictionary<string, DestinationConfig>? destinations, IConfigurationSection section) =>
        destinations?.ToDictionary(
            pair => pair.Key,
            pair => pair.Value with
            {
                Metadata = WithText(pair.Value.Metadata, SectionText(section.GetSection(pair.Key))),
            },
            StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, string> WithText(IReadOnlyDictionary<string, string>? metadata, string sectionText) =>
        new(metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase) { [SectionTextKey] = sectionText };

    private static void CheckClusterReference(string routeId, RouteConfig route, HashSet<string> clusterIds, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(route.ClusterId))
        {
            errors.Add($"Route '{routeId}': ClusterId is missing");
        }
        else if (!clusterIds.Contains(route.ClusterId))
        {
            errors.Add($"Route '{routeId}': ClusterId '{route.ClusterId}' is not a cluster in {ReverseProxySection.Clusters} (known: {string.Join(", ", clusterIds.Order(StringComparer.Ordinal))})");
        }
    }

    private static void CheckDestinations(string clusterId, ClusterConfig cluster, ICollection<string> errors)
    {
        foreach (var (destinationId, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            if (!Uri.TryCreate(destination.Address, UriKind.Absolute, out var address)
                || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"Cluster '{clusterId}', destination '{destinationId}': Address '{destination.Address}' is not an absolute http:// or https:// URL");
            }
        }
    }
}
