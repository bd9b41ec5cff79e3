using Gateway.Maintenance;
using Gateway.Store;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.Maintenance;

/// <summary>How the file's window and the admin's override combine on replicas sharing one store: the latest change wins.</summary>
public sealed class MaintenanceStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly MaintenanceOptions OldFile = new() { Enabled = false, Message = "old file" };
    private static readonly MaintenanceOptions EditedFile = new() { Enabled = true, Message = "edited file" };
    private readonly FixedClock _clock = new(Start);
    private readonly MemoryStore _store = new();

    [Fact]
    public async Task An_admin_window_stands_until_the_files_maintenance_section_changes()
    {
        var file = new TestOptionsMonitor<MaintenanceOptions>(OldFile);
        using var replica = new MaintenanceState(file, _store, _clock);
        await replica.SetAsync(AdminWindow(enabled: true));
        Assert.Equal("admin", replica.Window.Source);

        file.Set(new() { Enabled = false, Message = "old file" }); // The same section (another part of the file changed): the admin window stays.
        Assert.Equal("admin", replica.Window.Source);

        file.Set(EditedFile);
        Assert.Equal("edited file", replica.Window.Message);
        await replica.ReconcileAsync(default); // ...and stays replaced: the stored override was made against the old section.
        Assert.Equal("edited file", replica.Window.Message);
    }

    [Fact]
    public async Task Replicas_reading_the_same_section_agree_whenever_each_one_sees_the_edit()
    {
        var fileOfA = new TestOptionsMonitor<MaintenanceOptions>(OldFile);
        var fileOfB = new TestOptionsMonitor<MaintenanceOptions>(OldFile);
        using var a = new MaintenanceState(fileOfA, _store, _clock);
        using var b = new MaintenanceState(fileOfB, _store, _clock);
        await a.SetAsync(AdminWindow(enabled: true));
        await b.ReconcileAsync(default);
        Assert.True(b.Window.Enabled);

        // a sees the edit first; an admin then ends maintenance on a; b sees the edit a minute later.
        fileOfA.Set(EditedFile);
        _clock.Now = Start.AddSeconds(3);
        await a.EndAsync();
        await b.ReconcileAsync(default);
        Assert.Equal("old file", b.Window.Message); // The newest override is made against the edited section: not b's yet.
        _clock.Now = Start.AddMinutes(1);
        fileOfB.Set(EditedFile);
        await b.ReconcileAsync(default);
        await a.ReconcileAsync(default);

        Assert.False(a.Window.Enabled);
        Assert.False(b.Window.Enabled);
        Assert.Equal(("admin", "admin"), (a.Window.Source, b.Window.Source));
    }

    [Fact]
    public async Task A_replica_started_later_takes_the_stored_window_if_its_file_is_the_one_it_was_made_against()
    {
        using (var first = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(OldFile), _store, _clock))
        {
            await first.SetAsync(AdminWindow(enabled: true));
        }

        using var sameFile = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(OldFile), _store, _clock);
        using var newFile = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(EditedFile), _store, _clock);
        Assert.Equal("config", sameFile.Window.Source); // Before its first reconcile.
        await sameFile.ReconcileAsync(default);
        await newFile.ReconcileAsync(default);

        Assert.Equal(("admin", true), (sameFile.Window.Source, sameFile.Window.Enabled));
        Assert.Equal(("config", "edited file"), (newFile.Window.Source, newFile.Window.Message)); // A pod of the rolled-out edit.
    }

    [Fact]
    public async Task Ending_maintenance_is_an_admin_change_even_when_the_file_says_enabled()
    {
        using var replica = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(EditedFile), _store, _clock);
        await replica.EndAsync();

        Assert.False(replica.Window.Enabled);
        Assert.Equal("admin", replica.Window.Source);
        await replica.ReconcileAsync(default);
        Assert.False(replica.Window.Enabled);
    }

    [Fact]
    public async Task An_override_the_store_lost_is_written_back_by_a_replica_that_holds_it_but_never_over_a_newer_one()
    {
        var store = new ControlledStore(_store);
        using var replica = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(OldFile), store, _clock);
        await replica.SetAsync(AdminWindow(enabled: true));
        store.RestartEmpty();

        await replica.ReconcileAsync(default);
        Assert.True(replica.Window.Enabled);
        Assert.Contains("\"enabled\":true", await store.GetAsync(StoreKeys.MaintenanceOverride), StringComparison.Ordinal);

        using var other = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(OldFile), store, _clock);
        await other.EndAsync();
        await replica.ReconcileAsync(default);
        Assert.False(replica.Window.Enabled);
    }

    [Fact]
    public async Task A_reconcile_that_read_the_store_before_a_local_change_does_not_undo_it()
    {
        var store = new ControlledStore(_store);
        using var replica = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(OldFile), store, _clock);
        store.Hold();
        var reconcile = replica.ReconcileAsync(default); // Reads "no override" and waits.
        await replica.SetAsync(AdminWindow(enabled: true));
        store.Release();
        await reconcile;

        Assert.True(replica.Window.Enabled);
    }

    private MaintenanceWindow AdminWindow(bool enabled) => new(enabled, [], "by the admin", 60, null, null, "admin", _clock.Now);

    /// <summary>A store whose next read answers what it held when the read began, only once released.</summary>
    /// <summary>A store whose reads can be held, and whose Redis can restart without persistence (empty).</summary>
    private sealed class ControlledStore : ISharedStore
    {
        private readonly TaskCompletionSource _released = new();
        private MemoryStore _inner;
        private bool _holdNext;

        public ControlledStore(MemoryStore inner)
        {
            _inner = inner;
            _inner.Changed += OnChanged;
        }

        public string Kind => _inner.Kind;

        public bool IsShared => _inner.IsShared;

        public StoreOutage? Outage => _inner.Outage;

        public event Action? Changed;

        public void Hold() => _holdNext = true;

        public void Release() => _released.SetResult();

        /// <summary>Every value gone, as a Redis restarted without persistence.</summary>
        public void RestartEmpty()
        {
            _inner.Changed -= OnChanged;
            _inner = new MemoryStore();
            _inner.Changed += OnChanged;
        }

        public async Task<string?> GetAsync(string key)
        {
            var value = await _inner.GetAsync(key);
            if (_holdNext)
            {
                _holdNext = false;
                await _released.Task;
            }

            return value;
        }

        public Task SetAsync(string key, string value) => _inner.SetAsync(key, value);

        public Task SetIfAbsentAsync(string key, string value) => _inner.SetIfAbsentAsync(key, value);

        public Task PushCappedAsync(string key, string value, int keep) => _inner.PushCappedAsync(key, value, keep);

        public Task<IReadOnlyList<string>> ListAsync(string key, int count) => _inner.ListAsync(key, count);

        public Task SetFieldAsync(string key, string field, string value) => _inner.SetFieldAsync(key, field, value);

        public Task<IReadOnlyDictionary<string, string>> FieldsAsync(string key) => _inner.FieldsAsync(key);

        public Task RemoveFieldAsync(string key, string field) => _inner.RemoveFieldAsync(key, field);

        public Task PublishChangeAsync(string what) => _inner.PublishChangeAsync(what);

        public Task EnsureSubscribedAsync() => _inner.EnsureSubscribedAsync();

        private void OnChanged() => Changed?.Invoke();
    }
}
