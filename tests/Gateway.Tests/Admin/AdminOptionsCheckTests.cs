using Gateway.Admin;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Admin;

public sealed class AdminOptionsCheckTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-ops";

    [Fact]
    public void Named_keys_with_their_access_pass() =>
        Assert.Empty(Errors(new()
        {
            ["Admin:Keys:ops:Key"] = Secret,
            ["Admin:Keys:ops:Access"] = "Full",
            ["Admin:Keys:dash.board_2:Key"] = Secret + "-viewer",
            ["Admin:Keys:dash.board_2:Access"] = "ReadOnly",
            ["Admin:FailedKeyLimit:PermitLimit"] = "3",
            ["Admin:FailedKeyLimit:Window"] = "00:05:00",
        }));

    [Theory]
    [InlineData("Admin:AdminKeys:0")]
    [InlineData("Admin:ReadOnlyKeys:0")]
    public void The_old_key_lists_are_refused_naming_the_new_shape(string oldKey)
    {
        var error = Assert.Single(Errors(new() { [oldKey] = Secret }));

        Assert.StartsWith(oldKey[..oldKey.LastIndexOf(':')] + ": ", error, StringComparison.Ordinal);
        Assert.Contains("Admin:Keys:<name>:Key and Admin:Keys:<name>:Access (Full or ReadOnly)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Admin:Keys:ops:Access", "Full", "Admin:Keys:ops:Key: is required")]
    [InlineData("Admin:Keys:ops:Key", Secret, "Admin:Keys:ops:Access: must be Full or ReadOnly")]
    public void A_key_needs_its_secret_and_its_access(string key, string value, string error) =>
        Assert.Equal([error], Errors(new() { [key] = value }));

    [Fact]
    public void An_access_that_is_not_one_of_the_two_is_refused()
    {
        Assert.Contains(
            Errors(new() { ["Admin:Keys:ops:Key"] = Secret, ["Admin:Keys:ops:Access"] = "None" }),
            error => error.StartsWith("Admin:Keys:ops:Access: ", StringComparison.Ordinal));
        Assert.Contains(
            Errors(new() { ["Admin:Keys:ops:Key"] = Secret, ["Admin:Keys:ops:Access"] = "Everything" }),
            error => error.Contains("Admin:Keys:ops:Access", StringComparison.Ordinal));
    }

    [Fact]
    public void One_key_under_two_names_is_refused_without_showing_the_key()
    {
        var error = Assert.Single(Errors(new()
        {
            ["Admin:Keys:a:Key"] = Secret,
            ["Admin:Keys:a:Access"] = "Full",
            ["Admin:Keys:b:Key"] = Secret,
            ["Admin:Keys:b:Access"] = "ReadOnly",
        }));

        Assert.StartsWith("Admin:Keys:b:Key: is the same key as Admin:Keys:a", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("new\nline")]
    [InlineData("ünïcode")]
    public void A_name_the_audit_could_not_show_plainly_is_refused(string name) =>
        Assert.Contains(
            Errors(new() { [$"Admin:Keys:{name}:Key"] = Secret, [$"Admin:Keys:{name}:Access"] = "Full" }),
            error => error.StartsWith($"Admin:Keys:{name}: a key's name may hold", StringComparison.Ordinal));

    [Theory]
    [InlineData("demo-admin-key", "is a demo value")]
    [InlineData("short-but-mine", "is 14 characters")]
    public void Outside_demo_mode_a_shipped_or_short_key_is_refused_naming_it(string key, string why)
    {
        var values = new Dictionary<string, string?> { ["Admin:Keys:ops:Key"] = key, ["Admin:Keys:ops:Access"] = "Full" };
        var error = Assert.Single(Errors(values));
        Assert.StartsWith($"Admin:Keys:ops:Key: {why}", error, StringComparison.Ordinal);

        values[DemoSecrets.DemoModeKey] = "true";
        Assert.Empty(Errors(values));
    }

    [Theory]
    [InlineData("PermitLimit", "0", "Admin:FailedKeyLimit:PermitLimit: 0 must be at least 1")]
    [InlineData("Window", "00:00:00", "Admin:FailedKeyLimit:Window: 00:00:00 must be at least 00:00:01")]
    public void The_failed_key_limit_must_limit(string key, string value, string error) =>
        Assert.Equal([error], Errors(new() { [$"Admin:FailedKeyLimit:{key}"] = value }));

    private static List<string> Errors(Dictionary<string, string?> values)
    {
        var errors = new List<string>();
        new AdminOptionsCheck().Check(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), errors);
        return errors;
    }
}
