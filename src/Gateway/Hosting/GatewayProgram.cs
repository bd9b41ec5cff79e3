using Gateway.Configuration;

namespace Gateway.Hosting;

/// <summary>
/// What a Program.cs runs the gateway in: a config file that cannot serve at start (unreadable, not JSON, a failed
/// check) ends the process with one line on stderr naming the file and the reason, and exit code
/// <see cref="ConfigErrorExitCode"/>, instead of an unhandled exception's stack trace. Other failures stay unhandled.
/// </summary>
public static class GatewayProgram
{
    public const int ConfigErrorExitCode = 2;

    public static async Task<int> RunAsync(Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await run();
            return 0;
        }
        catch (ConfigFileException ex)
        {
            await Console.Error.WriteLineAsync($"gateway: {ex.Message}");
            return ConfigErrorExitCode;
        }
    }
}
