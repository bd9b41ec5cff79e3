namespace Gateway.IntegrationTests.Infrastructure;

internal static class Repository
{
    /// <summary>The checkout's root (where Gateway.sln is), so tests use the very appsettings.json users edit.</summary>
    public static string Root { get; } = FindRoot();

    public static string RootConfigFile => Path.Combine(Root, "appsettings.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}
