using Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Gateway.Tests.Routing;

/// <summary>
/// The 405 check's candidates (issue 28, finding 2 of docs/benchmarks-scale.md: every unmatched request was compared
/// with every route): only the routes that share the path's literal prefix, and never fewer than routing would match.
/// </summary>
public sealed class EndpointPrefixIndexTests
{
    private static readonly string[] Patterns =
    [
        "/", "/api/{**rest}", "/API/users/{id:int}", "/{tenant}/x", "/files/{name}.{ext}", "/a/b/c", "/a/{b?}", "/{**path}",
        "/api/users/me", "/docs/status/{code}",
    ];

    private static readonly string[] Paths =
    [
        "/", "", "/api", "/api/", "/api/users/5", "/Api/USERS/5", "/api/users/me", "/t1/x", "/files/a.txt", "/a/b/c", "/a/b",
        "/a", "/a//b", "/A/B/C/", "/docs/status/404", "/nothing/here", "/caf%C3%A9",
    ];

    [Fact]
    public void Every_route_whose_pattern_matches_a_path_is_a_candidate()
    {
        var endpoints = Patterns.Select(Endpoint).ToList();
        var index = new EndpointPrefixIndex(endpoints);

        foreach (var path in Paths)
        {
            var candidates = index.Candidates(new PathString(path)).ToList();
            foreach (var endpoint in endpoints.Where(endpoint => TemplateMatches(endpoint, path)))
            {
                Assert.True(candidates.Contains(endpoint), $"{endpoint.RoutePattern.RawText} matches {path} but is not a candidate");
            }

            Assert.Equal(candidates.OrderBy(endpoints.IndexOf), candidates);
        }
    }

    [Fact]
    public void With_ten_thousand_routes_a_path_is_compared_only_with_those_sharing_its_literal_prefix()
    {
        List<Endpoint> endpoints = [.. Enumerable.Range(0, 10_000).Select(i => Endpoint($"/many/r{i}/{{**rest}}")), Endpoint("/{**path}")];
        var index = new EndpointPrefixIndex(endpoints);

        Assert.Equal(["/many/r5/{**rest}", "/{**path}"], index.Candidates(new PathString("/MANY/r5/x")).Select(e => e.RoutePattern.RawText));
        Assert.Equal(["/{**path}"], index.Candidates(new PathString("/no/such/path")).Select(e => e.RoutePattern.RawText));
        Assert.Equal(["/{**path}"], index.Candidates(new PathString("/many/r10000")).Select(e => e.RoutePattern.RawText));
    }

    private static RouteEndpoint Endpoint(string pattern) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, EndpointMetadataCollection.Empty, pattern);

    private static bool TemplateMatches(RouteEndpoint endpoint, string path) =>
        new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary(endpoint.RoutePattern.Defaults))
            .TryMatch(new PathString(path.Length == 0 ? "/" : path), new RouteValueDictionary());
}
