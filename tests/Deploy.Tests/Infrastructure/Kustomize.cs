using System.Diagnostics;

namespace Deploy.Tests.Infrastructure;

/// <summary>
/// The objects deploy/k8s produces: rendered by `kubectl kustomize` when kubectl is installed (KUBECTL=path
/// picks one), else read from the kustomization's resources with its ConfigMaps generated here (no name hash,
/// no commonLabels). With REQUIRE_REAL_COMPONENTS=1 a missing kubectl is a failure.
/// </summary>
internal sealed class Kustomize
{
    public const string Folder = "deploy/k8s";

    private static readonly Lazy<Kustomize> Cached = new(Load);

    private Kustomize(IReadOnlyList<Map> objects, bool rendered)
    {
        Objects = objects;
        Rendered = rendered;
    }

    public IReadOnlyList<Map> Objects { get; }

    /// <summary>True when kubectl rendered the objects.</summary>
    public bool Rendered { get; }

    public static Kustomize Current => Cached.Value;

    public IEnumerable<Map> OfKind(string kind) => Objects.Where(item => item.StringOrNull("kind") == kind);

    public Map? Find(string kind, string name) => OfKind(kind).FirstOrDefault(item => Name(item) == name);

    public Map Get(string kind, string name) =>
        Find(kind, name) ?? throw new KeyNotFoundException(
            $"{Folder} has no {kind} '{name}' (has: {string.Join(", ", Objects.Select(item => $"{item.StringOrNull("kind")}/{Name(item)}"))}).");

    public static string Name(Map item) => item.MapAt("metadata").String("name");

    public static string Render(string kubectl)
    {
        var start = new ProcessStartInfo(kubectl, ["kustomize", Repository.PathOf(Folder)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{kubectl} kustomize {Folder} did not finish within 60 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{kubectl} kustomize {Folder} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Result;
    }

    private static Kustomize Load()
    {
        var kubectl = RealComponents.Find("kubectl");
        if (kubectl is not null)
        {
            return new Kustomize(Yaml.LoadAll(Render(kubectl)).OfType<Map>().ToList(), rendered: true);
        }

        if (RealComponents.Required)
        {
            throw new InvalidOperationException(
                "kubectl is not installed; REQUIRE_REAL_COMPONENTS=1 makes that a failure (apt-get install kubernetes-client).");
        }

        var kustomization = Yaml.LoadMap(Repository.Read($"{Folder}/kustomization.yaml"));
        var objects = new List<Map>();
        foreach (var resource in kustomization.ListOrEmpty("resources").OfType<string>())
        {
            objects.AddRange(Yaml.LoadAll(Repository.Read($"{Folder}/{resource}")).OfType<Map>());
        }

        foreach (var generator in kustomization.ListOrEmpty("configMapGenerator").OfType<Map>())
        {
            var data = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var file in generator.ListOrEmpty("files").OfType<string>())
            {
                var parts = file.Split('=', 2);
                var (key, path) = parts.Length == 2 ? (parts[0], parts[1]) : (Path.GetFileName(file), file);
                data[key] = Repository.Read($"{Folder}/{path}");
            }

            objects.Add(new Map(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new Map(new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = generator.String("name") }),
                ["data"] = new Map(data),
            }));
        }

        // The images transformer, for container images named exactly like an entry.
        var images = kustomization.ListOrEmpty("images").OfType<Map>().ToDictionary(image => image.String("name"), StringComparer.Ordinal);
        foreach (var container in objects
            .Where(item => item.StringOrNull("kind") == "Deployment")
            .SelectMany(item => item.MapAt("spec", "template", "spec").ListOrEmpty("containers").OfType<Map>()))
        {
            var image = container.StringOrNull("image") ?? "";
            var colon = image.LastIndexOf(':');
            var name = colon > image.LastIndexOf('/') ? image[..colon] : image;
            if (images.TryGetValue(name, out var replacement))
            {
                var tag = replacement.StringOrNull("newTag") ?? (colon > image.LastIndexOf('/') ? image[(colon + 1)..] : null);
                container.Set("image", (replacement.StringOrNull("newName") ?? name) + (tag is null ? "" : ":" + tag));
            }
        }

        return new Kustomize(objects, rendered: false);
    }
}
