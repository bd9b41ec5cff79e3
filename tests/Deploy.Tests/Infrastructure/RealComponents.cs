namespace Deploy.Tests.Infrastructure;

/// <summary>Tools found on this machine (kubectl), or why a test cannot use them.</summary>
internal static class RealComponents
{
    /// <summary>CI sets REQUIRE_REAL_COMPONENTS=1: a missing tool then fails the test instead of skipping it.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_REAL_COMPONENTS") == "1";

    /// <summary>The tool on PATH; <c>KUBECTL=/path/to/kubectl</c> (any tool: its name upper-cased) picks another one.</summary>
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
}

/// <summary>A fact that needs a real tool: skipped where it is missing, unless CI requires it.</summary>
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
