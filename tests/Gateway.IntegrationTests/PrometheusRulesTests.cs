using System.Diagnostics;

namespace Gateway.IntegrationTests;

/// <summary>The shipped Prometheus config and alert rules pass promtool, including the rules' own unit tests.</summary>
public sealed class PrometheusRulesTests
{
    private static readonly string Directory = Path.Combine(Repository.Root, "deploy", "prometheus");

    [RealComponentFact("promtool")]
    public Task The_config_is_valid() => PromtoolAsync("check", "config", "prometheus.yml");

    [RealComponentFact("promtool")]
    public Task The_alert_rules_are_valid() => PromtoolAsync("check", "rules", "rules/gateway-alerts.yml");

    [RealComponentFact("promtool")]
    public Task The_alert_rules_pass_their_unit_tests() => PromtoolAsync("test", "rules", "rules/gateway-alerts.test.yml");

    private static async Task PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(RealComponents.Require("promtool"))
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var promtool = Process.Start(start)!;
        // Both pipes at once: read one to its end first and promtool can block on a full other pipe, and so would we.
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await Task.WhenAll(stdout, stderr, promtool.WaitForExitAsync());
        var output = await stdout + await stderr;
        Assert.True(promtool.ExitCode == 0, $"promtool {string.Join(' ', arguments)}:\n{output}");
    }
}
