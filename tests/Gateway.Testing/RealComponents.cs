using Xunit;

namespace Gateway.Testing;

/// <summary>Real tools and servers (kubectl, redis-server, prometheus, promtool, chromium) found on this machine, or why a test cannot use them.</summary>
public static class RealComponents
{
    /// <summary>CI sets REQUIRE_REAL_COMPONENTS=1: a missing tool or server then fails the test instead of skipping it.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_REAL_COMPONENTS") == "1";

    /// <summary>
    /// The tool on PATH (or in /usr/bin, /usr/sbin, /usr/local/bin); <c>KUBECTL=/path/to/kubectl</c> (any tool: its
    /// name upper-cased) picks another one.
    /// </summary>
    public static string? Find(string executable)
    {
        var chosen = Environment.GetEnvironmentVariable(executable.ToUpperInvariant());
        if (!string.IsNullOrEmpty(chosen))
        {
            return File.Exists(chosen) ? chosen : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Where(directory => directory.Length > 0)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The tool's path, or an exception saying it is missing (for tests a <see cref="RealComponentFactAttribute"/> let run).</summary>
    public static string Require(string executable) =>
        Find(executable) ?? throw new InvalidOperationException(
            $"{executable} is not installed; REQUIRE_REAL_COMPONENTS=1 makes that a failure (apt-get install it, as .ci/run does).");
}

/// <summary>A fact that needs a real tool or server: skipped where it is missing, unless CI requires it.</summary>
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
