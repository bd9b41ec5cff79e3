using System.Text.RegularExpressions;

namespace Deploy.Tests.Infrastructure;

/// <summary>docker-compose.yml, read the way Compose reads it (short and long syntaxes, ${VAR:-default}).</summary>
internal sealed partial class Compose
{
    public const string FileName = "docker-compose.yml";

    private Compose(Map file)
    {
        Services = file.MapAt("services").Keys.ToDictionary(name => name, name => file.MapAt("services", name), StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, Map> Services { get; }

    public static Compose Load() => new(Yaml.LoadMap(Repository.Read(FileName)));

    public Map Service(string name) =>
        Services.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"{FileName} has no service '{name}' (has: {string.Join(", ", Services.Keys)}).");

    /// <summary>The file as written, with ${VAR:-default} taken at its default (the tests check the file, not this shell).</summary>
    public static string Interpolate(string value) =>
        Interpolation().Replace(value, match => match.Groups["default"].Success ? match.Groups["default"].Value : "")
            .Replace("$$", "$", StringComparison.Ordinal);

    public static IReadOnlyDictionary<string, string> Environment(Map service) => KeyValues(service["environment"]);

    /// <summary>The port of a listen URL such as <c>http://0.0.0.0:8080</c> or <c>http://*:5001</c>.</summary>
    public static int PortOf(string url) => new Uri(url.Replace("*", "localhost", StringComparison.Ordinal)).Port;

    public static Map? Build(Map service) => service["build"] switch
    {
        Map map => map,
        string context => new Map(new Dictionary<string, object?>(StringComparer.Ordinal) { ["context"] = context }),
        _ => null,
    };

    public static IReadOnlyDictionary<string, string> BuildArgs(Map build) => KeyValues(build["args"]);

    /// <summary>Compose writes both as a map or as a list of KEY=VALUE (a bare KEY means an empty value here).</summary>
    private static Dictionary<string, string> KeyValues(object? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case Map map:
                foreach (var (key, value) in map.Values)
                {
                    result[key] = Interpolate(value as string ?? "");
                }

                break;
            case List<object?> list:
                foreach (var parts in list.OfType<string>().Select(entry => entry.Split('=', 2)))
                {
                    result[parts[0]] = parts.Length == 2 ? Interpolate(parts[1]) : "";
                }

                break;
        }

        return result;
    }

    /// <summary>Published ports as (host, container) numbers; "8080:8080", "127.0.0.1:8080:8080/tcp", "8080" and long syntax.</summary>
    public static IReadOnlyList<(int Host, int Container)> PublishedPorts(Map service)
    {
        var result = new List<(int, int)>();
        foreach (var entry in service.ListOrEmpty("ports"))
        {
            switch (entry)
            {
                case string text:
                    var parts = Interpolate(text).Split('/')[0].Split(':');
                    var container = int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture);
                    var host = parts.Length >= 2 ? int.Parse(parts[^2], System.Globalization.CultureInfo.InvariantCulture) : container;
                    result.Add((host, container));
                    break;
                case Map map:
                    var target = int.Parse(map.String("target"), System.Globalization.CultureInfo.InvariantCulture);
                    var published = map.StringOrNull("published") is { } value
                        ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
                        : target;
                    result.Add((published, target));
                    break;
            }
        }

        return result;
    }

    /// <summary>Bind mounts (host paths resolved against the repository root); named volumes are left out.</summary>
    public static IReadOnlyList<(string HostPath, string ContainerPath, bool ReadOnly)> Binds(Map service)
    {
        var result = new List<(string, string, bool)>();
        foreach (var entry in service.ListOrEmpty("volumes"))
        {
            switch (entry)
            {
                case string text:
                    var parts = Interpolate(text).Split(':');
                    if (parts.Length >= 2 && (parts[0].StartsWith('.') || parts[0].StartsWith('/') || parts[0].StartsWith('~')))
                    {
                        var readOnly = parts.Length >= 3 && parts[2].Split(',').Contains("ro");
                        result.Add((Repository.PathOf(parts[0]), parts[1], readOnly));
                    }

                    break;
                case Map map when map.StringOrNull("type") == "bind":
                    result.Add((Repository.PathOf(map.String("source")), map.String("target"), map.StringOrNull("read_only") == "true"));
                    break;
            }
        }

        return result;
    }

    /// <summary>The host path a container path of this service reads, through its bind mounts (null if none covers it).</summary>
    public static string? HostPathOf(Map service, string containerPath)
    {
        foreach (var (hostPath, target, _) in Binds(service).OrderByDescending(bind => bind.ContainerPath.Length))
        {
            var prefix = target.TrimEnd('/');
            if (containerPath == prefix)
            {
                return hostPath;
            }

            if (containerPath.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return Path.Combine(hostPath, containerPath[(prefix.Length + 1)..]);
            }
        }

        return null;
    }

    public static IReadOnlyList<string> Command(Map service) => service["command"] switch
    {
        List<object?> list => list.Select(item => Interpolate(item as string ?? "")).ToList(),
        string text => Interpolate(text).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        _ => [],
    };

    /// <summary>The ports a service listens on inside its container: --urls, Gateway__Urls__*, and its ports/expose.</summary>
    public static IReadOnlySet<int> ListenPorts(Map service)
    {
        var result = new HashSet<int>();
        var command = Command(service);
        for (var i = 0; i < command.Count; i++)
        {
            // The gRPC sample takes its listeners from --GrpcUrls and --HealthUrls (docs/grpc-sample.md).
            var urls = command[i] is "--urls" or "--GrpcUrls" or "--HealthUrls" && i + 1 < command.Count ? command[i + 1]
                : command[i].StartsWith("--urls=", StringComparison.Ordinal) ? command[i]["--urls=".Length..]
                : null;
            foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                result.Add(PortOf(url));
            }
        }

        foreach (var (key, value) in Environment(service))
        {
            if (key.StartsWith("Gateway__Urls__", StringComparison.Ordinal) || key is "ASPNETCORE_URLS" or "urls")
            {
                foreach (var url in value.Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    result.Add(PortOf(url));
                }
            }
        }

        foreach (var (_, container) in PublishedPorts(service))
        {
            result.Add(container);
        }

        foreach (var exposed in service.ListOrEmpty("expose").OfType<string>())
        {
            result.Add(int.Parse(exposed.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }

    /// <summary>depends_on as service → condition (the list form means service_started).</summary>
    public static IReadOnlyDictionary<string, string> DependsOn(Map service) => service["depends_on"] switch
    {
        Map map => map.Keys.ToDictionary(name => name, name => map.MapOrNull(name)?.StringOrNull("condition") ?? "service_started", StringComparer.Ordinal),
        List<object?> list => list.OfType<string>().ToDictionary(name => name, _ => "service_started", StringComparer.Ordinal),
        _ => new Dictionary<string, string>(),
    };

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex Interpolation();
}
