using System.Net;
using System.Text.Json;
using Gateway.Clients;
using Gateway.Store;
using Microsoft.Extensions.Options;

namespace Gateway.Maintenance;

/// <summary>
/// The maintenance window in force on this replica. The config file sets one; the admin API sets an override that
/// lives in the shared store, so every replica applies it (and a restarted one finds it again). The latest change
/// wins: an admin change stands until the next admin change, or until the <c>Maintenance</c> section of the file
/// changes, which clears the override on every replica. While the store is unreachable the last window seen stays.
/// </summary>
public sealed class MaintenanceState : IReconciled, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _clock;
    private readonly ISharedStore _store;
    private readonly IDisposable? _subscription;
    private readonly Lock _gate = new();
    private MaintenanceOptions _configured;
    private MaintenanceWindow _configWindow;

    // When this replica saw the file's window change; an override older than that is stale. At start: never, so an
    // override in the store (made before this replica started) still applies.
    private DateTimeOffset _configChangedAt = DateTimeOffset.MinValue;
    private MaintenanceWindow? _override;
    private volatile MaintenanceWindow _window;
    private volatile AllowList _allow;

    public MaintenanceState(IOptionsMonitor<MaintenanceOptions> settings, ISharedStore store, TimeProvider clock)
    {
        _clock = clock;
        _store = store;
        _configured = settings.CurrentValue;
        _configWindow = FromSettings(_configured);
        _window = _configWindow;
        _allow = new AllowList(_configured.Allow);
        _subscription = settings.OnChange(OnConfigChanged);
    }

    public MaintenanceWindow Window => _window;

    internal AllowList Allow => _allow;

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Stores the admin's window for every replica, then applies it here; throws <see cref="StoreUnavailableException"/> and changes nothing when the store is away.</summary>
    public async Task SetAsync(MaintenanceWindow window)
    {
        await _store.SetAsync(StoreKeys.MaintenanceOverride, JsonSerializer.Serialize(window, Json));
        Apply(window);
        try
        {
            await _store.PublishChangeAsync("maintenance");
        }
        catch (StoreUnavailableException)
        {
            // Stored but not announced: the other replicas read it at their next reconcile.
        }
    }

    /// <summary>Ends maintenance everywhere, whatever set it (an override too: the file may say enabled).</summary>
    public Task EndAsync() => SetAsync(_window with { Enabled = false, Source = "admin", ChangedAt = Now });

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.GetAsync(StoreKeys.MaintenanceOverride);
        var window = stored is null ? null : JsonSerializer.Deserialize<MaintenanceWindow>(stored, Json);
        if (window is null && _override is { } held && held.ChangedAt > _configChangedAt)
        {
            // The store lost it (a Redis restarted without persistence), not a file edit (which this replica saw too):
            // what this replica holds is the last admin change, so it goes back for the others.
            await _store.SetAsync(StoreKeys.MaintenanceOverride, JsonSerializer.Serialize(held, Json));
            return;
        }

        lock (_gate)
        {
            if (window is not null && window.ChangedAt <= _configChangedAt)
            {
                window = null; // Older than the file's last change here: the file's edit replaced it.
            }

            _override = window;
            _window = window ?? _configWindow;
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private void Apply(MaintenanceWindow window)
    {
        lock (_gate)
        {
            _override = window;
            _window = window;
        }
    }

    /// <summary>Options fire on every file change; only a changed section replaces the window, and clears the override.</summary>
    private void OnConfigChanged(MaintenanceOptions changed)
    {
        _allow = new AllowList(changed.Allow);
        if (!SameWindow(changed, _configured))
        {
            lock (_gate)
            {
                _configWindow = FromSettings(changed);
                _configChangedAt = Now;
                var stale = _override;
                _override = null;
                _window = _configWindow;
                if (stale is not null)
                {
                    // Every replica that sees the edit clears it; one that is down finds the key gone when it starts.
                    _ = ClearStoredOverrideAsync();
                }
            }
        }

        _configured = changed;
    }

    private async Task ClearStoredOverrideAsync()
    {
        try
        {
            await _store.DeleteAsync(StoreKeys.MaintenanceOverride);
        }
        catch (StoreUnavailableException)
        {
            // Reconcile ignores an override older than the edit, so the edit still wins here.
        }
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
