using Gateway.Limits;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.Limits;

/// <summary>The <c>Kestrel:Limits</c> section's check: Kestrel's setters throw without naming the key; the check names it.</summary>
public sealed class LimitsExtensionsTests
{
    [Fact]
    public void No_section_at_all_is_valid() => Assert.Empty(Check([]));

    [Fact]
    public void A_valid_section_has_no_errors() =>
        Assert.Empty(Check(new()
        {
            ["Kestrel:Limits:KeepAliveTimeout"] = "00:02:00",
            ["Kestrel:Limits:MaxConcurrentConnections"] = "1000",
            ["Kestrel:Limits:MaxConcurrentUpgradedConnections"] = "0",
            ["Kestrel:Limits:MaxRequestBodySize"] = "1048576",
            ["Kestrel:Limits:MaxRequestHeadersTotalSize"] = "32768",
            ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:10",
        }));

    [Fact]
    public void Every_value_kestrel_would_throw_on_is_an_error_naming_its_key()
    {
        var errors = Check(new()
        {
            ["Kestrel:Limits:KeepAliveTimeout"] = "00:00:00",
            ["Kestrel:Limits:MaxConcurrentConnections"] = "0",
            ["Kestrel:Limits:MaxConcurrentUpgradedConnections"] = "-1",
        });

        Assert.Equal(
            [
                "Kestrel:Limits:KeepAliveTimeout: '00:00:00' is not a positive time span (00:00:30)",
                "Kestrel:Limits:MaxConcurrentConnections: '0' is not a positive number of connections",
                "Kestrel:Limits:MaxConcurrentUpgradedConnections: '-1' is not a number of connections, 0 or more",
            ],
            errors);
    }

    [Theory]
    [InlineData("KeepAliveTimeout", "soon", "Kestrel:Limits:KeepAliveTimeout: 'soon' is not a positive time span")]
    [InlineData("MaxConcurrentConnections", "many", "Kestrel:Limits:MaxConcurrentConnections: 'many' is not a positive number")]
    [InlineData("MaxRequestBodySiz", "10", "Kestrel:Limits: ")]
    [InlineData("MaxRequestBodySize", "big", "Kestrel:Limits: ")]
    public void A_value_of_the_wrong_type_or_an_unknown_key_is_an_error_in_the_section(string key, string value, string expected)
    {
        var error = Assert.Single(Check(new() { [$"Kestrel:Limits:{key}"] = value }));

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Contains(key, error, StringComparison.Ordinal);
    }

    private static List<string> Check(Dictionary<string, string?> data) => ConfigChecks.Errors((services, configuration) => services.AddGatewayLimits(configuration), data);
}
