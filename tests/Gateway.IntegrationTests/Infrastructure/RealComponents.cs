namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>Real servers (redis-server, prometheus, chromium) found on this machine, or why a test cannot run.</summary>
internal static class RealComponents
{
    /// <summary>CI sets REQUIRE_REAL_COMPONENTS=1: a missing server then fails the test instead of skipping it.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_REAL_COMPONENTS") == "1";

    public static string? Find(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);

    public static string Require(string executable) =>
        Find(executable) ?? throw new InvalidOperationException(
            $"{executable} is not installed; REQUIRE_REAL_COMPONENTS=1 makes that a failure (apt-get install it, as .ci/run does).");
}

/// <summary>A fact that needs a real server: skipped where it is missing, unless CI requires it.</summary>
public sealed class RealComponentFactAttribute : FactAttribute
{
    public RealComponentFactAttribute(string executable)
    {
        if (RealComponents.Find(executable) is null && !RealComponents.Required)
        {
            Skip = $"{executable} is not installed here (REQUIRE_REAL_COMPONENTS=1 turns this into a failure)";
        }
    }
}
