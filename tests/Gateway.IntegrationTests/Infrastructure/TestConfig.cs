using System.Text.Json.Nodes;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A private copy of the root appsettings.json in a temp folder, with the demo's fixed upstream
/// addresses pointed at the test's own upstreams, so tests exercise the routes users really get.
/// </summary>
public sealed class TestConfig : IDisposable
{
    private readonly string _directory;

    private TestConfig(string directory, string path)
    {
        _directory = directory;
        Path = path;
    }

    public string Path { get; }

    public static TestConfig FromRoot(Upstreams upstreams)
    {
        var text = File.ReadAllText(Repository.RootConfigFile)
            .Replace("http://127.0.0.1:5001", Trim(upstreams.UsersUrl), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5003", Trim(upstreams.UsersUrl), StringComparison.Ordinal) // users-2: the same upstream, one state
            .Replace("http://127.0.0.1:5002", Trim(upstreams.ChaosUrl), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:5009", $"http://127.0.0.1:{ClosedPort.Next()}", StringComparison.Ordinal);
        var directory = Directory.CreateTempSubdirectory("gateway-test-").FullName;
        var path = System.IO.Path.Combine(directory, "appsettings.json");
        File.WriteAllText(path, text);
        return new TestConfig(directory, path);
    }

    public JsonObject Read() => JsonNode.Parse(File.ReadAllText(Path))!.AsObject();

    public void Write(JsonObject config) => File.WriteAllText(Path, config.ToJsonString(new() { WriteIndented = true }));

    public void Edit(Action<JsonObject> edit)
    {
        var config = Read();
        edit(config);
        Write(config);
    }

    public void WriteText(string text) => File.WriteAllText(Path, text);

    /// <summary>Sets the value at <paramref name="path"/> (keys from the top), creating the objects on the way.</summary>
    public static void Set(JsonObject config, IEnumerable<string> path, JsonNode? value)
    {
        var keys = path.ToArray();
        var target = config;
        foreach (var key in keys[..^1])
        {
            target = (target[key] ??= new JsonObject()).AsObject();
        }

        target[keys[^1]] = value;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Trim(Uri url) => url.ToString().TrimEnd('/');
}
