using System.Net;
using Gateway.Clients;
using Microsoft.Extensions.Options;

namespace Gateway.Maintenance;

/// <summary>
/// The maintenance window in force. Config sets it at start and whenever the <c>Maintenance</c> section
/// changes; the admin API sets it in between. The latest change wins; admin changes last until restart.
/// </summary>
public sealed class MaintenanceState : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly IDisposable? _subscription;
    private MaintenanceOptions _configured;
    private volatile MaintenanceWindow _window;
    private volatile AllowList _allow;

    public MaintenanceState(IOptionsMonitor<MaintenanceOptions> settings, TimeProvider clock)
    {
        _clock = clock;
        _configured = settings.CurrentValue;
        _window = FromSettings(_configured);
        _allow = new AllowList(_configured.Allow);
        _subscription = settings.OnChange(OnConfigChanged);
    }

    public MaintenanceWindow Window => _window;

    internal AllowList Allow => _allow;

    public DateTimeOffset Now => _clock.GetUtcNow();

    public void Set(MaintenanceWindow window) => _window = window;

    public void End() => _window = _window with { Enabled = false, Source = "admin", ChangedAt = Now };

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Options fire on every file change; only a changed section replaces the window.</summary>
    private void OnConfigChanged(MaintenanceOptions changed)
    {
        _allow = new AllowList(changed.Allow);
        if (!SameWindow(changed, _configured))
        {
            _window = FromSettings(changed);
        }

        _configured = changed;
    }

    private MaintenanceWindow FromSettings(MaintenanceOptions settings) => new(
        settings.Enabled, settings.Routes.ToArray(), settings.Message, settings.RetryAfterSeconds,
        settings.From, settings.Until, "config", Now);

    private static bool SameWindow(MaintenanceOptions a, MaintenanceOptions b) =>
        a.Enabled == b.Enabled && a.Routes.SequenceEqual(b.Routes) && a.Message == b.Message
        && a.RetryAfterSeconds == b.RetryAfterSeconds && a.From == b.From && a.Until == b.Until;

    internal sealed class AllowList(MaintenanceAllowList settings)
    {
        private readonly List<IPNetwork> _networks = ClientAddress.ParseNetworks(settings.ClientIps);

        public IReadOnlyList<string> Roles { get; } = settings.Roles.ToArray();

        public bool Contains(IPAddress? client) => client is not null && ClientAddress.IsTrusted(client, _networks);
    }
}
