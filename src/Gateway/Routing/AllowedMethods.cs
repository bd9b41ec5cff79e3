using System.Runtime.CompilerServices;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Model;

namespace Gateway.Routing;

/// <summary>
/// The methods a listener's endpoints accept at the request's path and host. Routing finds no 405 by itself when a
/// catch-all endpoint (the public no-route fallback) also matches, so <see cref="NoRouteProblem"/> asks here.
/// Not routing's own 405 without the catch-all: it decides the method before the host and the route's constraints, so a
/// route of another host, or whose {id:int} fails, would make a 405 (pinned by AllowedMethodsTests); cost in docs/no-route-405.md.
/// </summary>
internal static class AllowedMethods
{
    /// <summary>The <c>Allow</c> value (RFC 9110 15.5.6) when the listener takes other methods here, else null.</summary>
    public static string? AllowHeader(HttpContext context, GatewayListener listener) =>
        At(context, listener) is { Length: > 0 } allowed ? string.Join(", ", allowed) : null;

    private static string[] At(HttpContext context, GatewayListener listener) =>
        IndexOf(context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints)
            .Candidates(context.Request.Path)
            .Where(endpoint => ListenerMetadata.Reaches(endpoint, listener) && Matches(endpoint, context))
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();

    private static EndpointPrefixIndex? s_index;

    /// <summary>The index of the current endpoint list, built again when the list is replaced (a config edit).</summary>
    private static EndpointPrefixIndex IndexOf(IReadOnlyList<Endpoint> endpoints)
    {
        var index = s_index;
        if (index is null || !ReferenceEquals(index.Endpoints, endpoints))
        {
            s_index = index = new EndpointPrefixIndex(endpoints);
        }

        return index;
    }

    private static bool Matches(RouteEndpoint endpoint, HttpContext context) =>
        // A route that also matches on headers or query is left out: a wrong method is then not the only mismatch we could name.
        endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Match is not { Headers.Count: > 0 } and not { QueryParameters.Count: > 0 }
        && HostMatches(endpoint.Metadata.GetMetadata<IHostMetadata>(), context.Request)
        && PathMatches(endpoint.RoutePattern, context);

    /// <summary>The template with its defaults and constraints (<c>{id:int}</c>, <c>{page:regex(...)}</c>), as routing checks them.</summary>
    private static bool PathMatches(RoutePattern pattern, HttpContext context) =>
        PathMatchers.GetValue(pattern, _ => new PathMatcher(pattern, context.RequestServices.GetRequiredService<ParameterPolicyFactory>()))
            .Matches(context);

    /// <summary>Built once per route pattern: 404s and 405s need not rebuild templates and regexes per request.</summary>
    private static readonly ConditionalWeakTable<RoutePattern, PathMatcher> PathMatchers = new();

    private sealed class PathMatcher
    {
        private readonly TemplateMatcher _template;
        private readonly (string Name, IRouteConstraint Constraint)[] _constraints;

        public PathMatcher(RoutePattern pattern, ParameterPolicyFactory policies)
        {
            _template = new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary(pattern.Defaults));
            _constraints = [.. pattern.ParameterPolicies.SelectMany(policy => policy.Value
                .Select(reference => policies.Create(pattern.GetParameter(policy.Key), reference))
                .OfType<IRouteConstraint>()
                .Select(constraint => (policy.Key, constraint)))];
        }

        public bool Matches(HttpContext context)
        {
            var values = new RouteValueDictionary();
            return _template.TryMatch(context.Request.Path, values)
                && _constraints.All(check => values[check.Name] is null
                    || check.Constraint.Match(context, null, check.Name, values, RouteDirection.IncomingRequest));
        }
    }

    private static bool HostMatches(IHostMetadata? metadata, HttpRequest request) =>
        metadata is null || metadata.Hosts.Count == 0 || metadata.Hosts.Any(pattern => HostMatches(new HostString(pattern), request));

    /// <summary>A Host without a port means the scheme's default port, as routing's host matcher reads it.</summary>
    private static bool HostMatches(HostString pattern, HttpRequest request) =>
        HostString.MatchesAny(request.Host.Host, [pattern.Host])
        && (pattern.Port is null || pattern.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80)));
}
