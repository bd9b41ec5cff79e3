using System.Text;
using Gateway.Routing;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Routing;

/// <summary>The reader that spares the reflection binder gives what the binder gives, or leaves the route to it.</summary>
public sealed class RouteEntryReaderTests
{
    public static TheoryData<string> Read =>
    [
        """{ "ClusterId": "users", "Match": { "Path": "/api/{**rest}" } }""",
        """{ "ClusterId": "chaos", "Match": { "Path": "/many/r1" }, "Transforms": [ { "PathSet": "/chaos/status/200" } ] }""",
        """{ "clusterid": "users", "match": { "path": "/x", "methods": [ "GET", "put" ], "hosts": [ "a.test", "*.b.test" ] } }""",
        """{ "ClusterId": "users", "Order": -5, "MaxRequestBodySize": "1024", "Timeout": "00:00:02.5", "Match": { "Path": "/x" } }""",
        """{ "ClusterId": "users", "Order": " 7 ", "Timeout": " 1.02:03:04 ", "Match": { "Path": "/x" } }""",
        """{ "ClusterId": "users", "AuthorizationPolicy": "api-key", "RateLimiterPolicy": "search", "OutputCachePolicy": "products", "TimeoutPolicy": "slow", "CorsPolicy": "any", "Match": { "Path": "/x" } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Metadata": { "Gateway.Retry": "true", "owner": "team a" } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Transforms": [ { "PathPattern": "/{**rest}" }, { "RequestHeader": "X-A", "Set": "1" }, { "ResponseHeadersCopy": "false" } ] }""",
        """{ "ClusterId": "users", "Match": { "Methods": [ "POST" ] } }""",
        """{ "ClusterId": "users" }""",
        """{ "Match": { "Path": "/no-cluster" } }""",
        // Indices the binder orders as numbers, and a gap it closes.
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Transforms": { "10": { "PathSet": "/ten" }, "2": { "PathSet": "/two" }, "0": { "PathSet": "/zero" } } }""",
    ];

    public static TheoryData<string> LeftToTheBinder =>
    [
        """{ "ClusterId": "users", "Match": { "Path": "/x", "Headers": [ { "Name": "X-A", "Values": [ "1" ] } ] } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x", "QueryParameters": [ { "Name": "q", "Values": [ "1" ] } ] } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x", "Paht": "/typo" } }""",
        """{ "ClusterId": "users", "Order": "0x10", "Match": { "Path": "/x" } }""",
        """{ "ClusterId": "users", "Order": "many", "Match": { "Path": "/x" } }""",
        """{ "ClusterId": "users", "Timeout": "soon", "Match": { "Path": "/x" } }""",
        """{ "ClusterId": "", "Match": { "Path": "/x" } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Metadata": { } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Metadata": { "a": { "b": "deep" } } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x", "Methods": { "01": "GET" } } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Transforms": { "a": { "PathSet": "/a" } } }""",
        """{ "RouteId": "other", "ClusterId": "users", "Match": { "Path": "/x" } }""",
        // Names the configuration's key comparer orders as numbers, and misorders when far apart (found by a review).
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Metadata": { "0": "a", "-2147483648": "b", "owner": "c" } }""",
        """{ "ClusterId": "users", "Match": { "Path": "/x" }, "Transforms": [ { "0": "a", "-2147483648": "b", "PathSet": "/y" } ] }""",
    ];

    [Theory]
    [MemberData(nameof(Read))]
    public void A_route_it_reads_is_the_route_the_binder_reads(string json)
    {
        var section = RouteSection(json);

        var read = RouteEntryReader.TryRead("r", Entries(section));
        var bound = section.Get<RouteConfig>(options => options.ErrorOnUnknownConfiguration = true)! with { RouteId = "r" };

        Assert.NotNull(read);
        Assert.Equal(bound, read); // YARP's own comparison: what decides whether a route is re-applied.
        Assert.Equal(bound.MaxRequestBodySize, read.MaxRequestBodySize); // Left out of RouteConfig.Equals.
        Assert.Equal(Shape(bound), Shape(read)); // Spellings, orders, collection types and comparers.
    }

    [Theory]
    [MemberData(nameof(LeftToTheBinder))]
    public void A_key_shape_or_value_it_does_not_know_is_left_to_the_binder(string json) =>
        Assert.Null(RouteEntryReader.TryRead("r", Entries(RouteSection(json))));

    private static IConfigurationSection RouteSection(string json) =>
        new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "ReverseProxy": { "Routes": { "r": {{json}} } } }""")))
            .Build()
            .GetSection("ReverseProxy:Routes:r");

    /// <summary>As ProxyConfigReader lists them: every key with a value or without children, relative to the route.</summary>
    private static List<KeyValuePair<string, string?>> Entries(IConfigurationSection route) =>
        route.AsEnumerable(makePathsRelative: true)
            .Where(pair => pair.Key.Length > 0 && (pair.Value is not null || !route.GetSection(pair.Key).GetChildren().Any()))
            .ToList();

    private static string Shape(RouteConfig route)
    {
        static string Dictionary(IReadOnlyDictionary<string, string>? dictionary) => dictionary is null
            ? "null"
            : $"{dictionary.GetType().Name}({(dictionary as Dictionary<string, string>)?.Comparer.GetType().Name})[{string.Join(",", dictionary.Select(pair => $"{pair.Key}={pair.Value}"))}]";

        static string List(IReadOnlyList<string>? list) => list is null ? "null" : $"{list.GetType().Name}[{string.Join(",", list)}]";

        return string.Join(" | ",
            route.Match is null ? "no match" : $"{route.Match.Path} {List(route.Match.Methods)} {List(route.Match.Hosts)}",
            Dictionary(route.Metadata),
            route.Transforms is null ? "null" : $"{route.Transforms.GetType().Name}[{string.Join(";", route.Transforms.Select(Dictionary))}]");
    }
}
