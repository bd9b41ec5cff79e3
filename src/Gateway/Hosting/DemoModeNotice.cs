using Gateway.Utilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Hosting;

/// <summary>One warning at start when demo mode is on, naming the settings that hold a secret published in the repository.</summary>
internal sealed partial class DemoModeNotice(IConfiguration configuration, ILogger<DemoModeNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (DemoSecrets.IsDemoMode(configuration))
        {
            LogDemoMode(logger, DemoSecrets.DemoModeKey, Describe(DemoSecrets.SettingsInUse(configuration)));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static string Describe(IReadOnlyList<string> settings) => settings.Count == 0
        ? "no setting holds a secret published in the gateway's repository."
        : $"these settings hold secrets published in the gateway's repository: {string.Join(", ", settings)}. Anyone can sign tokens or call the admin API with them: never expose this gateway.";

    [LoggerMessage(EventId = EventIds.DemoMode, Level = LogLevel.Warning, Message = "Demo mode ({Key}): {Secrets}")]
    private static partial void LogDemoMode(ILogger logger, string key, string secrets);
}
