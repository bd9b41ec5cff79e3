using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Hosting;

/// <summary>The repository's own secrets, and short ones, are config errors outside demo mode only.</summary>
public sealed class DemoSecretsTests
{
    private const string Key = "Auth:Jwt:SigningKey";

    [Fact]
    public void A_shipped_secret_outside_demo_mode_is_an_error_naming_its_key()
    {
        var errors = Check("demo-admin-key", demoMode: null);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{Key}: is a demo value published in the gateway's repository", error, StringComparison.Ordinal);
        Assert.Contains("Gateway:DemoMode=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_shipped_secret_is_refused_as_shipped_not_as_short() =>
        Assert.StartsWith($"{Key}: is a demo value", Assert.Single(Check("gateway-demo-signing-key-change-me-0123456789abcdef", demoMode: "false")), StringComparison.Ordinal);

    [Fact]
    public void A_secret_shorter_than_the_minimum_is_an_error_with_its_length() =>
        Assert.Equal($"{Key}: is 31 characters; a secret needs at least 32", Assert.Single(Check(new string('k', 31), demoMode: null)));

    [Fact]
    public void A_secret_of_the_minimum_length_of_ones_own_is_accepted() =>
        Assert.Empty(Check(new string('k', DemoSecrets.MinimumLength), demoMode: null));

    [Theory]
    [InlineData("demo-admin-key")]
    [InlineData("short")]
    public void Demo_mode_allows_shipped_and_short_secrets(string value)
    {
        Assert.Empty(Check(value, demoMode: "true"));
        Assert.Empty(Check(value, demoMode: "True"));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("yes")]
    [InlineData("")]
    public void Only_a_boolean_true_turns_demo_mode_on(string demoMode) =>
        Assert.Single(Check("demo-admin-key", demoMode));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_absent_secret_is_left_to_the_feature_that_needs_it(string? value) =>
        Assert.Empty(Check(value, demoMode: null));

    [Fact]
    public void Settings_in_use_name_every_key_holding_a_shipped_secret_also_inside_a_longer_value()
    {
        var configuration = Configuration(new()
        {
            ["RateLimiting:Redis:ConnectionString"] = "127.0.0.1:6379,password=gateway-demo-redis-password-change-me",
            ["Admin:Keys:ops:Key"] = "demo-admin-key",
            ["auth:Jwt:SigningKey"] = "gateway-demo-signing-key-change-me-0123456789abcdef",
            ["Admin:Keys:own:Key"] = "a-secret-of-my-own-that-nobody-else-has-0123",
            ["Empty"] = "",
        });

        Assert.Equal(["Admin:Keys:ops:Key", "auth:Jwt:SigningKey", "RateLimiting:Redis:ConnectionString"], DemoSecrets.SettingsInUse(configuration));
    }

    /// <summary>Searched provider by provider, but what counts is the value in force: a later provider can set or replace one.</summary>
    [Fact]
    public void Settings_in_use_are_those_whose_value_in_force_holds_a_secret()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Keys:ops:Key"] = "demo-admin-key", ["Admin:Keys:ro:Key"] = "demo-readonly-key" })
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:Keys:ops:Key"] = "replaced-by-an-environment-variable-0123456789", ["Auth:Jwt:SigningKey"] = "gateway-demo-signing-key-change-me-0123456789abcdef" })
            .Build();

        Assert.Equal(["Admin:Keys:ro:Key", "Auth:Jwt:SigningKey"], DemoSecrets.SettingsInUse(configuration));
    }

    [Fact]
    public void Settings_in_use_are_none_on_secrets_of_ones_own() =>
        Assert.Empty(DemoSecrets.SettingsInUse(Configuration(new() { ["Admin:Keys:own:Key"] = "my-own-admin-key" })));

    private static List<string> Check(string? value, string? demoMode)
    {
        var errors = new List<string>();
        var data = new Dictionary<string, string?>();
        if (demoMode is not null)
        {
            data[DemoSecrets.DemoModeKey] = demoMode;
        }

        DemoSecrets.Check(Configuration(data), Key, value, errors);
        return errors;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> data) => new ConfigurationBuilder().AddInMemoryCollection(data).Build();
}
