using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Clients;
using Gateway.Store;
using Microsoft.Extensions.Options;

namespace Gateway.Maintenance;

/// <summary>
/// The maintenance window in force on this replica. The config file sets one; the admin API sets an override that
/// lives in the shared store, so every replica applies it (and a restarted one finds it again). The latest change
/// wins: an admin change stands until the next admin change, or until the <c>Maintenance</c> section of the file
/// changes (an override names the section it was made against; one made against another section is not applied).
/// While the store is unreachable the last window seen stays, and so it does when the store holds a value the gateway
/// did not write (the Redis store refuses a value without its integrity tag) or cannot parse: never applied.
/// </summary>
public sealed class MaintenanceState : IReconciled, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _clock;
    private readonly ISharedStore _store;
    private readonly StoreRejections? _rejections;
    private readonly IDisposable? _subscription;
    private readonly Lock _gate = new();
    private MaintenanceOptions _configured;
    private MaintenanceWindow _configWindow;
    private string _section;
    private MaintenanceOverride? _override;

    // Bumped by every local change: a reconcile that read the store before one discards what it read.
    private long _changes;
    private volatile MaintenanceWindow _window;
    private volatile AllowList _allow;

    public MaintenanceState(IOptionsMonitor<MaintenanceOptions> settings, ISharedStore store, TimeProvider clock, StoreRejections? rejections = null)
    {
        _clock = clock;
        _store = store;
        _rejections = rejections;
        _configured = settings.CurrentValue;
        _configWindow = FromSettings(_configured);
        _section = Digest(_configured);
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
        var change = new MaintenanceOverride(window, Volatile.Read(ref _section));
        await _store.SetAsync(StoreKeys.MaintenanceOverride, JsonSerializer.Serialize(change, Json));
        lock (_gate)
        {
            _changes++;
            Apply(change);
        }

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
        long changesBefore;
        MaintenanceOverride? held;
        lock (_gate)
        {
            changesBefore = _changes;
            held = _override;
        }

        var stored = await _store.GetAsync(StoreKeys.MaintenanceOverride);
        var change = Parse(stored);
        if (stored is not null && change is null)
        {
            // Not ours to read (refused values never get here: the store returns none for them): keep what is in force.
            _rejections?.Unreadable(StoreKeys.KindOf(StoreKeys.MaintenanceOverride), StoreKeys.MaintenanceOverride, stored);
            return;
        }

        if (stored is null && held is not null)
        {
            // The store lost it (a Redis restarted without persistence): put back what this replica holds, unless
            // another replica already did or made a newer change meanwhile.
            await _store.SetIfAbsentAsync(StoreKeys.MaintenanceOverride, JsonSerializer.Serialize(held, Json));
            return;
        }

        lock (_gate)
        {
            if (_changes == changesBefore)
            {
                Apply(change);
            }
        }
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>What the store holds; null for none, and for a value this version cannot read (which is not overwritten).</summary>
    private static MaintenanceOverride? Parse(string? stored)
    {
        try
        {
            return stored is null ? null : JsonSerializer.Deserialize<MaintenanceOverride>(stored, Json) is { Window: not null, BasedOn: not null } change ? change : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Under the gate: the override if it was made against this replica's section, else the file's window.</summary>
    private void Apply(MaintenanceOverride? change)
    {
        _override = change;
        _window = change is not null && change.BasedOn == _section ? change.Window : _configWindow;
    }

    /// <summary>Options fire on every file change; only a changed section replaces the window (and every override made before).</summary>
    private void OnConfigChanged(MaintenanceOptions changed)
    {
        _allow = new AllowList(changed.Allow);
        if (!SameWindow(changed, _configured))
        {
            lock (_gate)
            {
                _changes++;
                _configWindow = FromSettings(changed);
                _section = Digest(changed);
                Apply(_override);
            }
        }

        _configured = changed;
    }

    private MaintenanceWindow FromSettings(MaintenanceOptions settings) => new(
        settings.Enabled, settings.Routes.ToArray(), settings.Message, settings.RetryAfterSeconds,
        settings.From, settings.Until, "config", Now);

    /// <summary>What an override is made against: the window part of the section, the same on every replica reading the same file.</summary>
    private static string Digest(MaintenanceOptions settings) => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new
    {
        settings.Enabled,
        Routes = settings.Routes.ToArray(),
        settings.Message,
        settings.RetryAfterSeconds,
        settings.From,
        settings.Until,
    })), 0, 12);

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
