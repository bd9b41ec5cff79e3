using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Gateway.Routing;

/// <summary>
/// The route endpoints that could match a path, found by the literal segments their patterns start with, so a request
/// no route matched is compared only with the routes that share its literal prefix (plus those that start with a
/// parameter), not with every route: at 10,000 routes one 404 cost 13.7 ms of CPU (docs/benchmarks-scale.md).
/// Built once per endpoint list (the list is replaced when the routes change).
/// </summary>
internal sealed class EndpointPrefixIndex
{
    private readonly Node _root = new();

    public EndpointPrefixIndex(IReadOnlyList<Endpoint> endpoints)
    {
        Endpoints = endpoints;
        for (var order = 0; order < endpoints.Count; order++)
        {
            if (endpoints[order] is not RouteEndpoint endpoint)
            {
                continue;
            }

            var node = _root;
            foreach (var segment in endpoint.RoutePattern.PathSegments)
            {
                if (!segment.IsSimple || segment.Parts[0] is not RoutePatternLiteralPart literal)
                {
                    break;
                }

                node = node.Child(literal.Content);
            }

            node.Endpoints.Add((order, endpoint));
        }
    }

    /// <summary>The endpoint list this index was built from.</summary>
    public IReadOnlyList<Endpoint> Endpoints { get; }

    /// <summary>A superset of the route endpoints whose path pattern can match <paramref name="path"/>, in endpoint order.</summary>
    public IEnumerable<RouteEndpoint> Candidates(PathString path)
    {
        var found = new List<(int Order, RouteEndpoint Endpoint)>(_root.Endpoints);
        var node = _root;
        // Routing compares literal segments with the decoded path, ignoring case, as the children do.
        foreach (var segment in (path.Value ?? "").Split('/', StringSplitOptions.None).Skip(1))
        {
            if (node.Children is null || !node.Children.TryGetValue(segment, out node))
            {
                break;
            }

            found.AddRange(node.Endpoints);
        }

        return found.OrderBy(candidate => candidate.Order).Select(candidate => candidate.Endpoint);
    }

    private sealed class Node
    {
        public List<(int Order, RouteEndpoint Endpoint)> Endpoints { get; } = [];

        public Dictionary<string, Node>? Children { get; private set; }

        public Node Child(string literal)
        {
            Children ??= new(StringComparer.OrdinalIgnoreCase);
            if (!Children.TryGetValue(literal, out var child))
            {
                Children[literal] = child = new Node();
            }

            return child;
        }
    }
}
