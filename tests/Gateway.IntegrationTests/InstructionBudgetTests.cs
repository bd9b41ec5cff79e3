using System.Globalization;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 28's regression guard: instructions per request counted by callgrind (deterministic, unlike time on a shared
/// machine) for bare YARP and the gateway with every feature, in the same run, from one Release build of the working
/// tree; the gateway may cost at most bench/instructions/budget.json's ratio of bare YARP. A short run of
/// bench/instructions/run.sh (few warm-up requests, three windows, the minimum: background work only ever adds
/// instructions to a window), so CI stays within its time.
/// </summary>
public sealed class InstructionBudgetTests(ITestOutputHelper output)
{
    [RealComponentFact("valgrind")]
    public async Task The_gateway_with_every_feature_stays_within_its_instruction_budget_relative_to_bare_yarp()
    {
        foreach (var tool in new[] { "callgrind_control", "nginx", "python3", "curl" })
        {
            RealComponents.Require(tool);
        }

        var work = Directory.CreateTempSubdirectory("instruction-budget.");
        try
        {
            var medians = Path.Combine(work.FullName, "medians");
            // env sets the run's options; the script stops everything it starts, and disposing kills the tree as well.
            await using var run = new ServerProcess("env",
            [
                "ONLY=yarp full", "SOURCE=tree", "WARMUP=1000", "WINDOWS=3", "REQUESTS=300", "JOBS=2", "BASE_PORT=18650",
                $"OUT={Path.Combine(work.FullName, "report.md")}", $"MEDIANS={medians}", "bash", Repository.PathOf("bench/instructions/run.sh"),
            ]);
            await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
            Assert.True(run.ExitCode == 0 && File.Exists(medians), $"bench/instructions/run.sh failed ({run.ExitCode}):\n{run.Output}");

            var figures = File.ReadAllLines(medians).Select(line => line.Split(' ')).ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
            Assert.True(figures.ContainsKey("yarp.min") && figures.ContainsKey("full.min"), $"a target was not measured:\n{run.Output}");
            var (yarp, full) = (figures["yarp.min"], figures["full.min"]);
            var ratio = full / yarp;
            using var budget = JsonDocument.Parse(Repository.Read("bench/instructions/budget.json"));
            var allowed = budget.RootElement.GetProperty("fullOverBareYarp").GetDouble();
            output.WriteLine($"bare YARP {yarp:N0}, gateway with every feature {full:N0} instructions per request (minimum windows): {ratio:F2}x (budget {allowed:F2}x)");
            Assert.True(ratio <= allowed,
                $"The gateway with every feature costs {full:N0} instructions per request, {ratio:F2}x bare YARP's {yarp:N0}; " +
                $"the budget in bench/instructions/budget.json is {allowed:F2}x. Find what got dearer with bench/instructions/run.sh (ATTRIBUTE=1), " +
                "or raise the budget in the same change, saying why.\n" + run.Output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
