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
}
