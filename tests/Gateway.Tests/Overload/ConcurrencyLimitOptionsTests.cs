using Gateway.Overload;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.Overload;

/// <summary>The <c>Overload</c> section's check: every problem of every limit, each naming its key.</summary>
public sealed class ConcurrencyLimitOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["ReverseProxy:Clusters:users:Destinations:a:Address"] = "http://127.0.0.1:5001",
        ["Overload:Gateway:PermitLimit"] = "200",
        ["Overload:Clusters:users:PermitLimit"] = "20",
        ["Overload:Clusters:users:QueueLimit"] = "10",
        ["Overload:Clusters:users:QueueTimeout"] = "00:00:02",
        ["Overload:Clusters:users:RetryAfterSeconds"] = "3",
    };

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(new ConcurrencyLimitOptions().Problems());

    [Fact]
    public void Every_problem_of_a_limit_is_reported()
    {
        var problems = new ConcurrencyLimitOptions { PermitLimit = 0, QueueLimit = -1, RetryAfterSeconds = 0 }.Problems().ToList();

        Assert.Equal(["PermitLimit: 0 must be at least 1", "QueueLimit: -1 must be 0 or more", "RetryAfterSeconds: 0 must be at least 1"], problems);
    }

    [Fact]
    public void A_queue_needs_a_wait() =>
        Assert.Equal(["QueueTimeout: 00:00:00 must be more than 0 when QueueLimit is"], new ConcurrencyLimitOptions { QueueLimit = 5, QueueTimeout = TimeSpan.Zero }.Problems());

    [Fact]
    public void Without_a_queue_the_wait_is_not_used() =>
        Assert.Empty(new ConcurrencyLimitOptions { QueueLimit = 0, QueueTimeout = TimeSpan.Zero }.Problems());

    [Fact]
    public void A_valid_section_has_no_errors() => Assert.Empty(Check(Valid));

    [Fact]
    public void No_section_at_all_is_valid() => Assert.Empty(Check([]));

    [Fact]
    public void Errors_of_the_gateway_and_a_cluster_limit_are_all_collected_with_their_keys()
    {
        var errors = Check(new Dictionary<string, string?>(Valid)
        {
            ["Overload:Gateway:PermitLimit"] = "0",
            ["Overload:Gateway:RetryAfterSeconds"] = "0",
            ["Overload:Clusters:users:QueueLimit"] = "-2",
        });

        Assert.Equal(
            [
                "Overload:Gateway:PermitLimit: 0 must be at least 1",
                "Overload:Gateway:RetryAfterSeconds: 0 must be at least 1",
                "Overload:Clusters:users:QueueLimit: -2 must be 0 or more",
            ],
            errors);
    }

    [Fact]
    public void A_limit_for_a_cluster_that_does_not_exist_is_an_error() =>
        Assert.Equal(
            ["Overload:Clusters:orders: 'orders' is not a cluster in ReverseProxy:Clusters"],
            Check(new Dictionary<string, string?>(Valid) { ["Overload:Clusters:orders:PermitLimit"] = "5" }));

    [Fact]
    public void A_cluster_is_named_in_any_case() =>
        Assert.Empty(Check(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:users:Destinations:a:Address"] = "http://127.0.0.1:5001",
            ["Overload:Clusters:USERS:PermitLimit"] = "5",
        }));

    [Theory]
    [InlineData("Overload:Gateway:PermitLimt", "5", "Overload: Overload:Gateway:PermitLimt: unknown key")]
    [InlineData("Overload:Gateway:QueueTimeout", "soon", "'Overload:Gateway:QueueTimeout'")]
    [InlineData("Overload:Clusters:users:PermitLimit", "many", "'Overload:Clusters:users:PermitLimit'")]
    public void A_misspelt_key_or_a_value_of_the_wrong_type_is_named(string key, string value, string expected) =>
        Assert.Contains(Check(new Dictionary<string, string?>(Valid) { [key] = value }), error => error.Contains(expected, StringComparison.Ordinal));

    private static List<string> Check(Dictionary<string, string?> data) => ConfigChecks.Errors((services, _) => services.AddGatewayOverload(), data);
}
