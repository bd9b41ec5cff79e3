using Gateway.Maintenance;

namespace Gateway.Tests.Maintenance;

/// <summary>One set of maintenance rules for the config section and the admin API; each caller adds its own key.</summary>
public sealed class MaintenanceRulesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_valid_window_has_no_problems() =>
        Assert.Empty(MaintenanceRules.Problems(60, Noon, Noon.AddHours(1), Noon));

    [Fact]
    public void Each_rule_names_its_property_in_order()
    {
        var problems = MaintenanceRules.Problems(0, Noon.AddHours(2), Noon.AddHours(-1), Noon).ToList();

        Assert.Equal(
            [("RetryAfterSeconds", "must be at least 1"), ("Until", "must be in the future"), ("From", "must be before Until")],
            problems);
    }

    [Fact]
    public void A_window_of_the_file_may_have_ended() =>
        Assert.Empty(MaintenanceRules.Problems(60, Noon.AddHours(-2), Noon.AddHours(-1)));

    [Fact]
    public void Routes_are_matched_as_yarp_matches_ids()
    {
        var known = new HashSet<string>(["users-api"], StringComparer.OrdinalIgnoreCase);

        Assert.Equal(
            [("Routes", "'nope' is not a route in ReverseProxy:Routes")],
            MaintenanceRules.UnknownRoutes(["USERS-API", "nope"], known.Contains));
    }
}
