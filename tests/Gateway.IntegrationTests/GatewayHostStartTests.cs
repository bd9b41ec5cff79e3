using Gateway.Hosting;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 24 finding 2 at start: the real Gateway.Host, started as a process on a config file it cannot use, ends
/// with one line on stderr naming the file and the reason, a non-zero exit code and no stack trace.
/// </summary>
public sealed class GatewayHostStartTests : RootConfigTest
{
    public static TheoryData<string, string> BadFiles() => new()
    {
        { "directory", "is a directory, not a file" },
        { "not utf8", "is not valid UTF-8" },
        { "not json", "is not valid JSON: line 1" },
        { "failed check", "ReverseProxy:Routes:chaos:Timeout" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_config_file_that_cannot_serve_stops_the_host_with_one_line_and_exit_code_2(string bad, string reason)
    {
        var path = Config.Path;
        switch (bad)
        {
            case "directory":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            case "not utf8":
                File.WriteAllBytes(path, [.. "{ \"A\": \""u8, 0xff, .. "\" }"u8]);
                break;
            case "not json":
                File.WriteAllText(path, "{ \"ReverseProxy\": ");
                break;
            case "failed check":
                Config.Edit(json => json["ReverseProxy"]!["Routes"]!["chaos"]!["Timeout"] = "soon");
                break;
        }

        try
        {
            await using var host = StartHost(path);
            await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(GatewayProgram.ConfigErrorExitCode, host.ExitCode);
            var line = Assert.Single(host.ErrorLines, text => text.Length > 0);
            Assert.StartsWith($"gateway: The config file {path} ", line, StringComparison.Ordinal);
            Assert.Contains(reason, line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", host.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }
        }
    }

    [Fact]
    public async Task The_same_host_starts_on_a_good_file()
    {
        await using var host = StartHost(Config.Path);
        await Eventually.HoldsAsync(
            () => Task.FromResult(host.Output.Contains("Application started", StringComparison.Ordinal) || host.HasExited),
            () => $"the host starts; output so far: {host.Output}", seconds: 60);
        Assert.False(host.HasExited, host.Output);
    }

    private static ServerProcess StartHost(string configPath)
    {
        // The host built beside these tests, in the same configuration (bin/Debug or bin/Release).
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Repository.PathOf($"src/Gateway.Host/bin/{configuration}/net10.0/Gateway.Host.dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the tests (a ProjectReference)");
        return new ServerProcess("dotnet",
        [
            dll,
            $"--Gateway:ConfigFile={configPath}",
            "--Gateway:Urls:Public=http://127.0.0.1:0",
            "--Gateway:Urls:Admin=http://127.0.0.1:0",
            "--Gateway:DemoMode=true",
        ]);
    }
}
