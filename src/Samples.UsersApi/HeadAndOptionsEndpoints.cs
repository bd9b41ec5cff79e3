using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Samples.UsersApi;

/// <summary>
/// HEAD and OPTIONS for every resource mapped before it, derived from the mapped endpoints so no list is kept by hand:
/// a HEAD twin of each GET endpoint (the same handler, filters and authorization; Kestrel sends the headers GET would
/// and drops the body, RFC 9110 §9.3.2) and one OPTIONS endpoint per route pattern answering 204 with <c>Allow</c>
/// (§9.3.7). Routing's own 405 then lists HEAD and OPTIONS too, since it reads the same endpoints.
/// </summary>
internal sealed class HeadAndOptionsEndpoints(IReadOnlyList<EndpointDataSource> mapped) : EndpointDataSource
{
    private IReadOnlyList<Endpoint>? _endpoints;

    public override IReadOnlyList<Endpoint> Endpoints => _endpoints ??= Derive();

    public override IChangeToken GetChangeToken() => NullChangeToken.Singleton;

    private List<Endpoint> Derive()
    {
        var routed = mapped.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(endpoint => (Endpoint: endpoint, Methods: endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(entry => entry.Methods is { Count: > 0 } && entry.Endpoint.RoutePattern.RawText is not null)
            .Select(entry => (entry.Endpoint, Methods: entry.Methods!))
            .ToList();
        var derived = new List<Endpoint>();
        foreach (var (endpoint, methods) in routed)
        {
            if (methods.Contains(HttpMethods.Get) && !methods.Contains(HttpMethods.Head))
            {
                derived.Add(Twin(endpoint, HttpMethods.Head, endpoint.RequestDelegate!));
            }
        }

        foreach (var resource in routed.GroupBy(entry => entry.Endpoint.RoutePattern.RawText, StringComparer.OrdinalIgnoreCase))
        {
            var allowed = resource.SelectMany(entry => entry.Methods).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (allowed.Contains(HttpMethods.Get))
            {
                allowed.Add(HttpMethods.Head);
            }

            allowed.Add(HttpMethods.Options);
            var allow = string.Join(", ", allowed.Order(StringComparer.Ordinal));
            derived.Add(Options(resource.First().Endpoint.RoutePattern, allow));
        }

        return derived;
    }

    private static RouteEndpoint Twin(RouteEndpoint endpoint, string method, RequestDelegate handler)
    {
        // Without its name: two endpoints of one name would break link generation.
        var metadata = endpoint.Metadata.Where(item => item is not (IHttpMethodMetadata or IEndpointNameMetadata or IRouteNameMetadata))
            .Append(new HttpMethodMetadata([method]));
        return new RouteEndpoint(handler, endpoint.RoutePattern, endpoint.Order, new EndpointMetadataCollection(metadata),
            $"{method} {endpoint.RoutePattern.RawText}");
    }

    // No authorization: which methods a resource takes is no secret, and a preflight carries no credentials.
    private static RouteEndpoint Options(RoutePattern pattern, string allow) =>
        new(context =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            context.Response.Headers.Allow = allow;
            return Task.CompletedTask;
        }, pattern, 0, new EndpointMetadataCollection(new HttpMethodMetadata([HttpMethods.Options])), $"OPTIONS {pattern.RawText}");
}
