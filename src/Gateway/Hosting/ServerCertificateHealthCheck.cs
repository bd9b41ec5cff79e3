using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Hosting;

/// <summary>The <c>tls</c> entry of <c>/healthz</c> (only with a TLS listener): Degraded while the files on disk cannot serve and the last good certificate does.</summary>
internal sealed class ServerCertificateHealthCheck(ServerCertificate certificate) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = certificate.Current;
        var serving = current is null ? "no certificate" : $"{current.Subject} ({current.Thumbprint}), valid until {current.NotAfter.ToUniversalTime():O}";
        return Task.FromResult(certificate.Failure is { } failure
            ? HealthCheckResult.Degraded($"certificate files rejected at {failure.At:O}, serving the last good certificate {serving}: {failure.Problem}")
            : HealthCheckResult.Healthy($"serving {serving}{(certificate.IsSelfSigned ? " (self-signed, demo mode)" : "")}"));
    }
}
