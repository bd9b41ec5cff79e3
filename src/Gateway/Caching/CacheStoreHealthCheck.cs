using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Caching;

/// <summary>Degraded while the output cache's Redis is away: requests are still answered, from the upstream, uncached.</summary>
internal sealed class CacheStoreHealthCheck(OutageTolerantCacheStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Outage is { } outage
            ? HealthCheckResult.Degraded($"The output cache store (redis) is unreachable since {outage.Since:O} ({outage.Reason}); answering from the upstream, storing nothing.")
            : HealthCheckResult.Healthy("The output cache store (redis) answered its last operation."));
}
