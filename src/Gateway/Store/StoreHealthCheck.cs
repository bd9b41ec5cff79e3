using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Store;

/// <summary>Degraded, not Unhealthy, while the shared store is away: the replica still serves with the last state it knew.</summary>
internal sealed class StoreHealthCheck(ISharedStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Outage is { } outage
            ? HealthCheckResult.Degraded($"The shared store ({store.Kind}) is unreachable since {outage.Since:O} ({outage.Reason}); serving the last known admin state.")
            : HealthCheckResult.Healthy(store.IsShared ? $"The shared store ({store.Kind}) is reachable." : "The store is this process's memory (one replica)."));
}
