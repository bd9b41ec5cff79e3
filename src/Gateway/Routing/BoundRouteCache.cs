using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>
/// The routes of the last read, by the text of their sections, so a reload binds only the routes an edit changed:
/// binding a route through the reflection-based ConfigurationBinder was most of a 10,000-route reload
/// (docs/benchmarks-scale.md). A bound route depends on nothing but its id and its section's keys and values, and the
/// text holds all of them (<see cref="ProxyConfigReader"/>), so equal text is an equal route. Only routes that bound
/// without an error are kept, and only those of the last read (an edit's check; its apply takes the check's snapshot,
/// <see cref="ProxySnapshotHandoff"/>).
/// </summary>
internal sealed class BoundRouteCache
{
    private volatile Dictionary<string, RouteConfig> _last = new(StringComparer.Ordinal);

    public RouteConfig? Find(string sectionText) => _last.GetValueOrDefault(sectionText);

    /// <summary>
    /// Published whole after a read; a reader on another thread sees the old set or the new one, never a half. Keyed by
    /// the text each route carries (<see cref="ProxyConfigReader.SectionTextKey"/>): a route taken from the cache keeps
    /// its text, and the equal one the read made is not kept a second time.
    /// </summary>
    public void Replace(IEnumerable<RouteConfig> read)
    {
        var routes = new Dictionary<string, RouteConfig>(StringComparer.Ordinal);
        foreach (var route in read)
        {
            routes[route.Metadata![ProxyConfigReader.SectionTextKey]] = route;
        }

        _last = routes;
    }
}
