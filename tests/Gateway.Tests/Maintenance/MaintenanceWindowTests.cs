using Gateway.Maintenance;

namespace Gateway.Tests.Maintenance;

public sealed class MaintenanceWindowTests
{
    private static readonly DateTimeOffset From = new(2030, 5, 1, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = From.AddHours(2);

    [Theory]
    [InlineData("from", -1L, false)] // A tick before the start.
    [InlineData("from", 0L, true)] // The start is inside.
    [InlineData("until", -1L, true)] // The last tick.
    [InlineData("until", 0L, false)] // The end is outside.
    public void The_window_runs_from_its_start_up_to_its_end(string edge, long ticks, bool active) =>
        Assert.Equal(active, Window(From, Until).IsActive((edge == "from" ? From : Until).AddTicks(ticks)));

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void An_open_ended_window_is_active_on_its_open_side(bool hasFrom, bool hasUntil)
    {
        var window = Window(hasFrom ? From : null, hasUntil ? Until : null);

        Assert.Equal(!hasFrom, window.IsActive(From.AddYears(-10)));
        Assert.True(window.IsActive(From.AddHours(1)));
        Assert.Equal(!hasUntil, window.IsActive(Until.AddYears(10)));
    }

    [Fact]
    public void A_disabled_window_is_never_active()
    {
        var window = Window(null, null) with { Enabled = false };

        Assert.False(window.IsActive(From));
    }

    [Fact]
    public void A_window_whose_end_is_not_after_its_start_is_never_active()
    {
        var window = Window(Until, From);

        Assert.False(window.IsActive(From));
        Assert.False(window.IsActive(From.AddHours(1)));
        Assert.False(window.IsActive(Until));
    }

    [Fact]
    public void Times_in_other_offsets_are_compared_as_instants()
    {
        var window = Window(From, Until);
        var berlin = TimeSpan.FromHours(2);

        Assert.True(window.IsActive(new DateTimeOffset(2030, 5, 2, 0, 30, 0, berlin))); // 22:30 UTC.
        Assert.False(window.IsActive(new DateTimeOffset(2030, 5, 1, 23, 30, 0, berlin))); // 21:30 UTC.
    }

    [Theory]
    [InlineData("users", true)]
    [InlineData("USERS", true)]
    [InlineData("orders", true)]
    [InlineData("user", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Listed_routes_are_covered_in_any_case(string? routeId, bool covered) =>
        Assert.Equal(covered, Window(null, null, "users", "Orders").Covers(routeId));

    [Theory]
    [InlineData("users")]
    [InlineData(null)]
    public void No_routes_means_the_whole_gateway(string? routeId) =>
        Assert.True(Window(null, null).Covers(routeId));

    [Fact]
    public void With_an_end_the_client_is_told_to_retry_when_it_comes()
    {
        var window = Window(From, Until);

        Assert.Equal(TimeSpan.FromMinutes(90), window.RetryAfter(From.AddMinutes(30)));
        Assert.Equal(TimeSpan.FromTicks(1), window.RetryAfter(Until.AddTicks(-1)));
    }

    [Fact]
    public void Without_an_end_the_configured_retry_after_is_used() =>
        Assert.Equal(TimeSpan.FromSeconds(120), Window(From, null).RetryAfter(From.AddMinutes(30)));

    private static MaintenanceWindow Window(DateTimeOffset? from, DateTimeOffset? until, params string[] routes) =>
        new(true, routes, "Upgrading the database.", 120, from, until, "config", From.AddDays(-1));
}
