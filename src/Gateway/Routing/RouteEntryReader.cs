using System.Globalization;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>
/// Builds a route from its keys and values without the reflection binder, which took about 0.2 ms a route (2 s of a
/// 10,000-route start). It reads only the keys it knows, in the shapes it knows, and values it need not judge; for
/// anything else (another key, an empty value, a number the binder might read differently) it returns null and the
/// binder reads the route, its errors included. RouteEntryReaderTests hold it to the binder's result.
/// </summary>
internal static class RouteEntryReader
{
    /// <param name="entries">Each key below the route (as spelt, without the route's own path) with its value.</param>
    public static RouteConfig? TryRead(string routeId, IReadOnlyList<KeyValuePair<string, string?>> entries)
    {
        var route = new Fields();
        foreach (var (key, value) in entries)
        {
            if (string.IsNullOrEmpty(value) || !route.Take(key.Split(':'), value))
            {
                return null;
            }
        }

        return route.ToRoute(routeId);
    }

    private sealed class Fields
    {
        private readonly Dictionary<string, string> _strings = new(StringComparer.OrdinalIgnoreCase);
        private int? _order;
        private long? _maxRequestBodySize;
        private TimeSpan? _timeout;
        private string? _path;
        private SortedList<int, string>? _methods;
        private SortedList<int, string>? _hosts;
        private SortedList<string, string>? _metadata;
        private SortedList<int, SortedList<string, string>>? _transforms;

        private static readonly string[] StringKeys =
            ["ClusterId", "AuthorizationPolicy", "RateLimiterPolicy", "OutputCachePolicy", "TimeoutPolicy", "CorsPolicy"];

        public bool Take(string[] key, string value) => key switch
        {
            [var name] when StringKeys.Contains(name, StringComparer.OrdinalIgnoreCase) => _strings.TryAdd(name, value),
            [var name] when Is(name, "Order") => Set(ref _order, int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var order) ? order : null),
            [var name] when Is(name, "MaxRequestBodySize") =>
                Set(ref _maxRequestBodySize, long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) ? size : null),
            [var name] when Is(name, "Timeout") => Set(ref _timeout, TimeSpan.TryParse(value.Trim(), CultureInfo.InvariantCulture, out var timeout) ? timeout : null),
            [var match, var name] when Is(match, "Match") && Is(name, "Path") => Once(ref _path, value),
            [var match, var name, var index] when Is(match, "Match") && Is(name, "Methods") => Add(_methods ??= [], index, value),
            [var match, var name, var index] when Is(match, "Match") && Is(name, "Hosts") => Add(_hosts ??= [], index, value),
            [var metadata, var name] when Is(metadata, "Metadata") && !Numeric(name) => (_metadata ??= Named()).TryAdd(name, value),
            [var transforms, var index, var name] when Is(transforms, "Transforms") && Index(index) is { } i && !Numeric(name) =>
                ((_transforms ??= []).TryGetValue(i, out var transform) ? transform : _transforms[i] = Named()).TryAdd(name, value),
            _ => false,
        };

        public RouteConfig ToRoute(string routeId) => new()
        {
            RouteId = routeId,
            ClusterId = _strings.GetValueOrDefault("ClusterId"),
            AuthorizationPolicy = _strings.GetValueOrDefault("AuthorizationPolicy"),
            RateLimiterPolicy = _strings.GetValueOrDefault("RateLimiterPolicy"),
            OutputCachePolicy = _strings.GetValueOrDefault("OutputCachePolicy"),
            TimeoutPolicy = _strings.GetValueOrDefault("TimeoutPolicy"),
            CorsPolicy = _strings.GetValueOrDefault("CorsPolicy"),
            Order = _order,
            MaxRequestBodySize = _maxRequestBodySize,
            Timeout = _timeout,
            Match = _path is not null || _methods is not null || _hosts is not null ? new RouteMatch { Path = _path, Methods = _methods?.Values.ToArray(), Hosts = _hosts?.Values.ToArray() } : null!,
            Metadata = _metadata is null ? null : new Dictionary<string, string>(_metadata),
            Transforms = _transforms?.Values.Select(transform => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(transform)).ToArray(),
        };

        // Keys in the binder's order (it adds them as the configuration lists them) into the binder's kind of dictionary.
        private static SortedList<string, string> Named() => new(ConfigurationKeyComparer.Instance);

        private static bool Is(string key, string name) => string.Equals(key, name, StringComparison.OrdinalIgnoreCase);

        // A value it could not parse is null: the binder reads the route and reports the value.
        private static bool Set<T>(ref T? field, T? value)
            where T : struct
        {
            if (field is not null || value is null)
            {
                return false;
            }

            field = value;
            return true;
        }

        private static bool Once(ref string? field, string value)
        {
            if (field is not null)
            {
                return false;
            }

            field = value;
            return true;
        }

        private static bool Add(SortedList<int, string> list, string index, string value) => Index(index) is { } i && list.TryAdd(i, value);

        // ConfigurationKeyComparer compares names that parse as numbers by subtracting them, which overflows: its order of
        // such names depends on how they are sorted, so only the binder's own sort gives the binder's order.
        private static bool Numeric(string name) => int.TryParse(name, out _);

        /// <summary>An index as the binder orders it: only 0, 1, 2 ... spelt plainly (not 01 or +1).</summary>
        private static int? Index(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i.ToString(CultureInfo.InvariantCulture) == text ? i : null;
    }
}
