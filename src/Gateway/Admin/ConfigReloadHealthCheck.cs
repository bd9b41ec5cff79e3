using Gateway.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Admin;

/// <summary>A rejected edit leaves the gateway serving the last good config: degraded (still 200), with the reason.</summary>
internal sealed class ConfigReloadHealthCheck(ConfigReloadStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = status.Last;
        var result = last is null || last.Succeeded
            ? HealthCheckResult.Healthy($"config applied at {last?.At:O}")
            : HealthCheckResult.Degraded($"last edit rejected at {last.At:O}, serving the last good config: {string.Join("; ", last.Errors)}");
        return Task.FromResult(result);
    }
}
