using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>The console client (src/Samples.GrpcClient) built beside these tests, run as a process as a user runs it.</summary>
internal static class GrpcClientProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(Uri address, params string[] arguments)
    {
        // The same configuration as these tests (bin/Debug or bin/Release).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Repository.PathOf($"src/Samples.GrpcClient/bin/{configuration}/net10.0/Samples.GrpcClient.dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the tests (a ProjectReference)");
        await using var client = new ServerProcess("dotnet", [dll, "--address", address.ToString(), .. arguments]);
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (client.ExitCode, client.Output);
    }

    /// <summary>The run exited with the code and printed each text (the whole output is the failure message).</summary>
    public static void AssertPrinted((int ExitCode, string Output) run, int exitCode, params string[] texts)
    {
        var missing = texts.Where(text => !run.Output.Contains(text, StringComparison.Ordinal)).ToList();
        Assert.True(run.ExitCode == exitCode && missing.Count == 0,
            $"expected exit code {exitCode}, got {run.ExitCode}; missing: {string.Join(" | ", missing)}\n{run.Output}");
    }
}
