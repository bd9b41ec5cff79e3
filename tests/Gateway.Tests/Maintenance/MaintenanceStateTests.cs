using Gateway.Maintenance;
using Gateway.Store;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.Maintenance;

/// <summary>How the file's window and the admin's override combine: the latest change wins.</summary>
public sealed class MaintenanceStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Start);
    private readonly MemoryStore _store = new();
    private readonly TestOptionsMonitor<MaintenanceOptions> _file = new(new() { Enabled = false });

    [Fact]
    public async Task An_admin_window_stands_until_the_files_maintenance_section_changes()
    {
        using var state = new MaintenanceState(_file, _store, _clock);
        await state.SetAsync(AdminWindow(enabled: true));
        Assert.Equal("admin", state.Window.Source);

        _file.Set(new() { Enabled = false, Message = "edited, same window" }); // A change of the section replaces it.
        Assert.Equal("config", state.Window.Source);
        Assert.Null(await _store.GetAsync(StoreKeys.MaintenanceOverride)); // ...on every replica: the shared override is gone.
    }

    [Fact]
    public async Task A_file_change_outside_the_section_keeps_the_admin_window()
    {
        using var state = new MaintenanceState(_file, _store, _clock);
        await state.SetAsync(AdminWindow(enabled: true));

        _file.Set(new() { Enabled = false }); // The same section (another part of the file changed).
        Assert.Equal("admin", state.Window.Source);
        Assert.True(state.Window.Enabled);
    }

    [Fact]
    public async Task A_replica_that_starts_later_takes_the_stored_admin_window()
    {
        using (var first = new MaintenanceState(_file, _store, _clock))
        {
            await first.SetAsync(AdminWindow(enabled: true));
        }

        _clock.Now = Start.AddHours(1);
        using var restarted = new MaintenanceState(_file, _store, _clock);
        Assert.Equal("config", restarted.Window.Source); // Before its first reconcile.
        await restarted.ReconcileAsync(default);
        Assert.Equal("admin", restarted.Window.Source);
        Assert.True(restarted.Window.Enabled);
    }

    [Fact]
    public async Task A_stored_override_older_than_this_replicas_file_edit_is_ignored()
    {
        using var state = new MaintenanceState(_file, _store, _clock);
        _clock.Now = Start.AddMinutes(5);
        _file.Set(new() { Enabled = true, Message = "from the file" });
        // Another replica, that had not seen the edit yet, wrote back an override made before it.
        using var other = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(new()), _store, new FixedClock(Start.AddMinutes(1)));
        await other.SetAsync(AdminWindow(enabled: false) with { ChangedAt = Start.AddMinutes(1) });

        await state.ReconcileAsync(default);
        Assert.Equal("from the file", state.Window.Message);
        Assert.True(state.Window.Enabled);
    }

    [Fact]
    public async Task Ending_maintenance_is_an_admin_change_even_when_the_file_says_enabled()
    {
        _file.Set(new() { Enabled = true });
        using var state = new MaintenanceState(_file, _store, _clock);
        await state.EndAsync();

        Assert.False(state.Window.Enabled);
        Assert.Equal("admin", state.Window.Source);
        await state.ReconcileAsync(default);
        Assert.False(state.Window.Enabled);
    }

    [Fact]
    public async Task An_override_the_store_lost_is_written_back_by_a_replica_that_holds_it()
    {
        using var state = new MaintenanceState(_file, _store, _clock);
        await state.SetAsync(AdminWindow(enabled: true));
        await _store.DeleteAsync(StoreKeys.MaintenanceOverride); // A Redis restarted without persistence.

        await state.ReconcileAsync(default);
        Assert.True(state.Window.Enabled);
        Assert.NotNull(await _store.GetAsync(StoreKeys.MaintenanceOverride));
    }

    private MaintenanceWindow AdminWindow(bool enabled) => new(enabled, [], "by the admin", 60, null, null, "admin", _clock.Now);
}
