using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Hosting;

/// <summary>
/// Runs a middleware only for endpoints whose metadata asks for it (or for every request when a global policy
/// applies), so routes that do not use a feature do not pay its async frame on every proxied request.
/// </summary>
internal static class EndpointScopedMiddleware
{
    public static IApplicationBuilder UseForEndpointsWith(
        this IApplicationBuilder app, bool everyRequest, Func<EndpointMetadataCollection, bool> asks, Action<IApplicationBuilder> middleware)
    {
        if (everyRequest)
        {
            middleware(app);
            return app;
        }

        return app.UseWhen(context => context.GetEndpoint()?.Metadata is { } metadata && asks(metadata), middleware);
    }
}
