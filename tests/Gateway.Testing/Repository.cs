namespace Gateway.Testing;

/// <summary>
/// The repository the tests run in (where Gateway.sln is), found by walking up from the test binaries, so tests
/// read the very files users edit (appsettings.json, deploy/, src/).
/// </summary>
public static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The root appsettings.json.</summary>
    public static string RootConfigFile => PathOf("appsettings.json");

    /// <summary>A repository-relative path ("/" separated) as a full path.</summary>
    public static string PathOf(string relative) =>
        Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every src/&lt;name&gt;/&lt;name&gt;.csproj, as repo-relative paths with forward slashes.</summary>
    public static IReadOnlyList<string> SourceProjects() =>
        Directory.GetDirectories(PathOf("src"))
            .Select(Path.GetFileName)
            .Where(name => File.Exists(PathOf($"src/{name}/{name}.csproj")))
            .Select(name => $"src/{name}/{name}.csproj")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Gateway.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
