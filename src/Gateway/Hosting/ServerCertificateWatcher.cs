using Gateway.Utilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting;

/// <summary>Polls the certificate files (as the config file is watched: polling works on every file system and mount).</summary>
internal sealed partial class ServerCertificateWatcher(ServerCertificate certificate, ILogger<ServerCertificateWatcher> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (certificate.Current is { } current)
        {
            if (certificate.IsSelfSigned)
            {
                LogSelfSigned(logger, current.Thumbprint, current.NotAfter);
            }
            else
            {
                LogServing(logger, current.Subject, current.Thumbprint, current.NotAfter);
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var (outcome, problem) = certificate.Reload(DateTimeOffset.UtcNow);
            if (outcome == ServerCertificate.Outcome.Loaded && certificate.Current is { } current)
            {
                LogServing(logger, current.Subject, current.Thumbprint, current.NotAfter);
            }
            else if (outcome == ServerCertificate.Outcome.Failed)
            {
                LogKept(logger, problem!, certificate.Current?.Thumbprint);
            }
        }
    }

    [LoggerMessage(EventId = EventIds.CertificateLoaded, Level = LogLevel.Information, Message = "TLS: serving certificate {Subject} ({Thumbprint}), valid until {NotAfter:O}")]
    private static partial void LogServing(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = EventIds.CertificateRejected, Level = LogLevel.Warning, Message = "TLS: the changed certificate files cannot serve, keeping the last good certificate ({Thumbprint}): {Problem}")]
    private static partial void LogKept(ILogger logger, string problem, string? thumbprint);

    [LoggerMessage(EventId = EventIds.CertificateSelfSigned, Level = LogLevel.Warning, Message = "TLS: demo mode without Gateway:Tls:CertificateFile: serving a self-signed certificate for localhost, 127.0.0.1 and ::1 made at start ({Thumbprint}, valid until {NotAfter:O}); for the demo only, clients must skip verification (curl -k)")]
    private static partial void LogSelfSigned(ILogger logger, string thumbprint, DateTime notAfter);
}
