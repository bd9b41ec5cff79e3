using Microsoft.AspNetCore.OutputCaching;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Caching;

/// <summary>
/// Decides whether and for how long the upstream's answer is stored as soon as its headers arrive, before its body is
/// copied. The output-cache middleware fixes an entry's lifetime at the body's first byte, before the policy's
/// <see cref="IOutputCachePolicy.ServeResponseAsync"/> runs: decided only there, every entry lived the middleware's
/// default 60 s, and a max-age=2 answer was served as a hit for a minute.
/// </summary>
internal sealed class CacheLifetimeTransform : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Route.OutputCachePolicy is null)
        {
            return;
        }

        context.AddResponseTransform(static transform =>
        {
            if (transform.HttpContext.Features.Get<IOutputCacheFeature>() is { } cache)
            {
                SharedCachePolicy.DecideStorage(cache.Context);
            }

            return ValueTask.CompletedTask;
        });
    }
}
