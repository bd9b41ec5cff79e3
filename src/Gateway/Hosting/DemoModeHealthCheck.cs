using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Hosting;

/// <summary>
/// The <c>demo</c> entry of <c>/healthz</c>: whether demo mode is on and which settings hold the repository's secrets.
/// Healthy either way: demo mode is a choice made at deployment, not a fault that clears, and a status that stayed
/// Degraded in every demo run would hide the Degraded that means something (a rejected edit, the store away).
/// </summary>
internal sealed class DemoModeHealthCheck(IConfiguration configuration) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(DemoSecrets.IsDemoMode(configuration)
            ? $"Demo mode ({DemoSecrets.DemoModeKey}): {DemoModeNotice.Describe(DemoSecrets.SettingsInUse(configuration))}"
            : $"Demo mode is off: a shipped or short secret is refused ({DemoSecrets.DemoModeKey})."));
}
