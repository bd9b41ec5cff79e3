using System.Collections.Concurrent;

namespace Deploy.Tests.Infrastructure;

/// <summary>Every image docker-compose.yml builds, built once per test run by <see cref="ImageBuilder"/> in a temp folder.</summary>
public sealed class ImagesFixture : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"deploy-tests-images-{Guid.NewGuid():N}");
    private readonly ConcurrentDictionary<string, Lazy<BuiltImage>> _images = new(StringComparer.Ordinal);

    internal Compose Compose { get; } = Compose.Load();

    /// <summary>The services compose builds from a Dockerfile (the others use published images).</summary>
    public static TheoryData<string> BuiltServices()
    {
        var data = new TheoryData<string>();
        foreach (var (name, service) in Compose.Load().Services.Where(service => Compose.Build(service.Value) is not null))
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>The service's image; a build that fails throws with what `docker build` would print.</summary>
    internal BuiltImage Image(string service) => _images.GetOrAdd(service, name => new Lazy<BuiltImage>(() => Build(name))).Value;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private BuiltImage Build(string service)
    {
        // MSBuild looks for .editorconfig, Directory.Build.props and global.json in parent folders: a temp folder
        // inside the repository would find them there and hide a build context that lacks them.
        Assert.False(
            Path.GetFullPath(_folder).StartsWith(Repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal),
            $"The temp folder {_folder} is inside the repository; set TMPDIR elsewhere.");
        var build = Compose.Build(Compose.Service(service))!;
        var context = Repository.PathOf(build.StringOrNull("context") ?? ".");
        return ImageBuilder.Build(
            context,
            build.StringOrNull("dockerfile") ?? "Dockerfile",
            Compose.BuildArgs(build),
            build.StringOrNull("target"),
            Path.Combine(_folder, service));
    }
}
