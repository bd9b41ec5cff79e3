using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Model;

namespace Gateway.Hosting;

/// <summary>
/// The methods a listener's endpoints accept at the request's path and host. Routing finds no 405 by itself when a
/// catch-all endpoint (the public no-route fallback) also matches, so the 404 writers ask here before answering.
/// </summary>
internal static class AllowedMethods
{
    /// <summary>When other methods are accepted here, sets 405 and their <c>Allow</c> (RFC 9110 15.5.6) and returns true.</summary>
    public static bool TrySetMethodNotAllowed(HttpContext context, GatewayListener listener)
    {
        if (At(context, listener) is not { Length: > 0 } allowed)
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return true;
    }

    private static string[] At(HttpContext context, GatewayListener listener) =>
        context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => ListenerMetadata.Reaches(endpoint, listener) && Matches(endpoint, context))
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();

    private static bool Matches(RouteEndpoint endpoint, HttpContext context) =>
        // A route that also matches on headers or query is left out: a wrong method is then not the only mismatch we could name.
        endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Match is not { Headers.Count: > 0 } and not { QueryParameters.Count: > 0 }
        && HostMatches(endpoint.Metadata.GetMetadata<IHostMetadata>(), context.Request.Host)
        && PathMatches(endpoint.RoutePattern, context);

    /// <summary>The template and its constraints (<c>{id:int}</c>, <c>{page:regex(...)}</c>), as routing would check them.</summary>
    private static bool PathMatches(RoutePattern pattern, HttpContext context)
    {
        var values = new RouteValueDictionary();
        if (!new TemplateMatcher(new RouteTemplate(pattern), []).TryMatch(context.Request.Path, values))
        {
            return false;
        }

        var policies = context.RequestServices.GetRequiredService<ParameterPolicyFactory>();
        foreach (var (name, references) in pattern.ParameterPolicies)
        {
            if (values.TryGetValue(name, out var value) && value is not null)
            {
                foreach (var reference in references)
                {
                    if (policies.Create(pattern.GetParameter(name), reference) is IRouteConstraint constraint
                        && !constraint.Match(context, null, name, values, RouteDirection.IncomingRequest))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static bool HostMatches(IHostMetadata? metadata, HostString requested) =>
        metadata is null || metadata.Hosts.Count == 0 || metadata.Hosts.Any(pattern => HostMatches(new HostString(pattern), requested));

    private static bool HostMatches(HostString pattern, HostString requested) =>
        HostString.MatchesAny(requested.Host, [pattern.Host]) && (pattern.Port is null || pattern.Port == requested.Port);
}
