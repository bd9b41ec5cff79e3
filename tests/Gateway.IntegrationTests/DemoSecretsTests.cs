using System.Net;
using Gateway.Hosting;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// The repository's JWT signing key serves only in demo mode (Gateway:DemoMode), and demo mode says so: a warning
/// at start and the <c>demo</c> entry of <c>/healthz</c>. Outside it a shipped or short key stops the start, naming the key.
/// </summary>
public sealed class DemoSecretsTests : RootConfigTest
{
    private const string SigningKey = "Auth:SigningKey";

    [Fact]
    public async Task Without_demo_mode_the_shipped_signing_key_stops_the_start_naming_it()
    {
        Assert.Contains(Config.Read()["Auth"]!["SigningKey"]!.GetValue<string>(), DemoSecrets.Shipped);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync($"--{DemoSecrets.DemoModeKey}=false"));

        Assert.Contains($"{SigningKey}: is a demo value published in the gateway's repository", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_demo_mode_a_short_signing_key_stops_the_start_naming_it()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync($"--{DemoSecrets.DemoModeKey}=false", $"--{SigningKey}=only-twenty-chars-xx"));

        Assert.Contains($"{SigningKey}: must be at least 32 bytes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_mode_says_so_at_start_and_on_healthz_naming_the_shipped_secrets_in_use()
    {
        await using var gateway = await StartAsync();

        var warning = Assert.Single(gateway.Logs.Lines, line => line.Contains("Demo mode (Gateway:DemoMode)", StringComparison.Ordinal));
        Assert.Contains(SigningKey, warning, StringComparison.Ordinal);
        var (status, report) = await gateway.HealthReportAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var demo = report.GetProperty("checks").GetProperty("demo");
        Assert.Equal("Healthy", demo.GetProperty("status").GetString());
        var description = demo.GetProperty("description").GetString();
        Assert.Contains("published in the gateway's repository", description, StringComparison.Ordinal);
        Assert.Contains(SigningKey, description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_mode_with_an_own_signing_key_no_longer_names_it()
    {
        await using var gateway = await StartAsync($"--{SigningKey}={new string('k', 64)}");

        var description = (await gateway.HealthReportAsync()).Report.GetProperty("checks").GetProperty("demo").GetProperty("description").GetString();
        Assert.StartsWith("Demo mode (Gateway:DemoMode)", description, StringComparison.Ordinal);
        Assert.DoesNotContain(SigningKey, description, StringComparison.Ordinal);
    }

    private Task<GatewayInstance> StartAsync(params string[] args) => GatewayInstance.StartAsync(Config.Path, args);
}
