using Gateway.Overload;
using Gateway.Tests.TestSupport;
using Gateway.Utilities;

namespace Gateway.Tests.Overload;

/// <summary>Which limits are in force, and which survive an edit of the section.</summary>
public sealed class OverloadLimitsTests
{
    [Fact]
    public void No_section_means_no_limit()
    {
        using var limits = new OverloadLimits(new TestOptionsMonitor<OverloadOptions>(new OverloadOptions()), new OverloadMetrics(new MetricsRegistry()));

        Assert.Null(limits.Current.Gateway);
        Assert.Empty(limits.Current.Clusters);
        Assert.Empty(limits.Current.All);
    }

    [Fact]
    public void The_gateway_limit_and_each_cluster_limit_are_in_force_with_their_settings()
    {
        using var limits = new OverloadLimits(new TestOptionsMonitor<OverloadOptions>(Options(gateway: 50, users: 5)), new OverloadMetrics(new MetricsRegistry()));

        var current = limits.Current;
        Assert.Equal(("gateway", null, 50), (current.Gateway!.Scope, current.Gateway.Cluster, current.Gateway.Settings.PermitLimit));
        var users = current.Clusters["USERS"]; // Cluster ids are case-insensitive, as in YARP.
        Assert.Equal(("cluster", "users", 5), (users.Scope, users.Cluster, users.Settings.PermitLimit));
        Assert.False(current.Clusters.ContainsKey("orders"));
        Assert.Equal([current.Gateway, users], current.All);
        Assert.Equal(50, current.Gateway.Limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void An_unchanged_limit_keeps_its_limiter_across_an_edit_and_a_changed_one_gets_a_new_one()
    {
        var settings = new TestOptionsMonitor<OverloadOptions>(Options(gateway: 50, users: 5, orders: 7));
        using var limits = new OverloadLimits(settings, new OverloadMetrics(new MetricsRegistry()));
        var before = limits.Current;

        settings.Set(Options(gateway: 50, users: 6, orders: 7));

        var after = limits.Current;
        Assert.Same(before.Gateway, after.Gateway);
        Assert.Same(before.Clusters["orders"], after.Clusters["orders"]);
        Assert.NotSame(before.Clusters["users"], after.Clusters["users"]);
        Assert.Equal(6, after.Clusters["users"].Settings.PermitLimit);
    }

    [Fact]
    public void A_limit_removed_by_an_edit_is_no_longer_in_force()
    {
        var settings = new TestOptionsMonitor<OverloadOptions>(Options(gateway: 50, users: 5));
        using var limits = new OverloadLimits(settings, new OverloadMetrics(new MetricsRegistry()));

        settings.Set(Options(gateway: null, users: null, orders: 3));

        Assert.Null(limits.Current.Gateway);
        Assert.Equal(["orders"], limits.Current.Clusters.Keys);
    }

    [Fact]
    public void Permits_held_under_a_replaced_limit_do_not_count_against_the_new_one()
    {
        var settings = new TestOptionsMonitor<OverloadOptions>(Options(gateway: 1, users: null));
        using var limits = new OverloadLimits(settings, new OverloadMetrics(new MetricsRegistry()));
        using var held = limits.Current.Gateway!.Limiter.AttemptAcquire();
        Assert.True(held.IsAcquired);

        settings.Set(Options(gateway: 2, users: null));

        Assert.Equal(2, limits.Current.Gateway!.Limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    private static OverloadOptions Options(int? gateway, int? users, int? orders = null)
    {
        var options = new OverloadOptions { Gateway = gateway is { } limit ? new ConcurrencyLimitOptions { PermitLimit = limit } : null };
        if (users is { } usersLimit)
        {
            options.Clusters["users"] = new ConcurrencyLimitOptions { PermitLimit = usersLimit };
        }

        if (orders is { } ordersLimit)
        {
            options.Clusters["orders"] = new ConcurrencyLimitOptions { PermitLimit = ordersLimit };
        }

        return options;
    }
}
