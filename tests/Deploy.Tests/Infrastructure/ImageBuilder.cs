using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Deploy.Tests.Infrastructure;

/// <summary>What an image built by <see cref="ImageBuilder"/> holds and how Docker starts it.</summary>
internal sealed class BuiltImage
{
    /// <summary>The host folder that stands for the final stage's filesystem root.</summary>
    public required string Root { get; init; }

    /// <summary>The base image's ENV and the Dockerfile's, as the container starts with them.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>ENTRYPOINT as Docker runs it: exec form as written, shell form under <c>/bin/sh -c</c>.</summary>
    public required IReadOnlyList<string> Entrypoint { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The HEALTHCHECK command in compose's test form (CMD ..., or CMD-SHELL text), null if none.</summary>
    public required IReadOnlyList<string>? HealthCheck { get; init; }

    /// <summary>The host path of a path inside the image.</summary>
    public string HostPath(string containerPath) => ImageBuilder.UnderRoot(Root, containerPath);
}

/// <summary>
/// Builds a Dockerfile's target the way <c>docker build</c> does, without Docker: each stage gets a folder of
/// its own for a filesystem; COPY copies from the build context only what <c>.dockerignore</c> lets in (or
/// from an earlier stage); RUN runs on this machine with the stage's ENV and ARGs as its environment, its
/// absolute paths outside the system folders (/app, /repo) moved into the stage's folder. So a build that
/// reads a file the context does not hold fails here as it fails in Docker.
/// </summary>
internal static partial class ImageBuilder
{
    private static readonly HashSet<string> SystemFolders = new(StringComparer.Ordinal)
    {
        "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
    };

    /// <summary>The ENV of Microsoft's .NET images (runtime-deps, which aspnet and sdk build on), as published.</summary>
    private static readonly Dictionary<string, string> DotnetImageEnvironment = new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
    };

    public static BuiltImage Build(string context, string dockerfile, IReadOnlyDictionary<string, string> buildArgs, string? target, string workFolder)
    {
        var file = Dockerfile.Parse(File.ReadAllText(Path.Combine(context, dockerfile)));
        var ignore = DockerIgnore.Load(context);
        var last = target is null ? file.Stages[^1] : file.Stage(target);
        var states = new List<StageState>();
        foreach (var stage in file.Stages.Take(last.Index + 1))
        {
            states.Add(BuildStage(file, stage, states, context, ignore, buildArgs, workFolder));
        }

        var final = states[^1];
        return new BuiltImage
        {
            Root = final.Root,
            Environment = final.Environment,
            WorkingDirectory = final.WorkingDirectory,
            Entrypoint = final.Entrypoint,
            Command = final.Command,
            HealthCheck = final.HealthCheck,
        };
    }

    public static string UnderRoot(string root, string containerPath) =>
        Path.Combine(root, containerPath.TrimStart('/'));

    private static StageState BuildStage(
        Dockerfile file, DockerStage stage, List<StageState> earlier, string context, DockerIgnore ignore,
        IReadOnlyDictionary<string, string> buildArgs, string workFolder)
    {
        var from = file.BaseOf(stage, buildArgs);
        var parent = earlier.FirstOrDefault(state => string.Equals(state.Name, from, StringComparison.OrdinalIgnoreCase));
        var state = new StageState(stage.Name ?? stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(workFolder, $"stage{stage.Index}"));
        Directory.CreateDirectory(state.Root);
        if (parent is not null)
        {
            CopyTree(parent.Root, state.Root, _ => false);
            state.InheritFrom(parent);
        }
        else if (from.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal))
        {
            foreach (var (key, value) in DotnetImageEnvironment)
            {
                state.Environment[key] = value;
            }
        }

        foreach (var instruction in stage.Instructions)
        {
            var variables = state.Variables();
            switch (instruction.Keyword)
            {
                case "ARG":
                    var (name, value) = Dockerfile.ArgOf(instruction.Arguments, variables);
                    state.Args[name] = buildArgs.TryGetValue(name, out var given) ? given : value ?? "";
                    break;
                case "ENV":
                    foreach (var (key, envValue) in Dockerfile.EnvOf(instruction.Arguments, variables))
                    {
                        state.Environment[key] = envValue;
                    }

                    break;
                case "WORKDIR":
                    var workdir = Dockerfile.Expand(instruction.Arguments, variables);
                    state.WorkingDirectory = workdir.StartsWith('/') ? workdir : $"{state.WorkingDirectory.TrimEnd('/')}/{workdir}";
                    Directory.CreateDirectory(UnderRoot(state.Root, state.WorkingDirectory));
                    break;
                case "COPY":
                case "ADD":
                    Copy(Dockerfile.Expand(instruction.Arguments, variables), state, earlier, context, ignore);
                    break;
                case "RUN":
                    Run(instruction, state);
                    break;
                case "ENTRYPOINT":
                    state.Entrypoint = instruction.ExecForm() ?? ["/bin/sh", "-c", instruction.Arguments];
                    state.Command = []; // Docker resets an inherited CMD when a stage sets ENTRYPOINT.
                    break;
                case "CMD":
                    state.Command = instruction.ExecForm() ?? ["/bin/sh", "-c", instruction.Arguments];
                    break;
                case "HEALTHCHECK":
                    state.HealthCheck = HealthCheckOf(instruction);
                    break;
            }
        }

        return state;
    }

    private static List<string>? HealthCheckOf(DockerInstruction instruction)
    {
        var text = instruction.Arguments;
        if (text.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var cmd = text.IndexOf("CMD ", StringComparison.Ordinal);
        var command = text[(cmd + 4)..].Trim();
        return instruction.ExecForm(command) is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", command];
    }

    private static void Copy(string arguments, StageState state, List<StageState> earlier, string context, DockerIgnore ignore)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var fromStage = words.FirstOrDefault(word => word.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
        words = words.Where(word => !word.StartsWith("--", StringComparison.Ordinal)).ToList();
        var destination = words[^1];
        var target = UnderRoot(state.Root, destination.StartsWith('/') ? destination : $"{state.WorkingDirectory.TrimEnd('/')}/{destination}");
        var sources = words.SkipLast(1).ToList();
        var intoFolder = destination.EndsWith('/') || destination is "." or "./" || sources.Count > 1;
        foreach (var source in sources)
        {
            if (source.IndexOfAny(['*', '?', '[']) >= 0)
            {
                throw new NotSupportedException($"COPY {source}: wildcards are not emulated; name the files.");
            }

            string from;
            Func<string, bool> excluded;
            if (fromStage is null)
            {
                var relative = source.Trim('/');
                from = Path.Combine(context, relative);
                if (ignore.Excludes(relative) || !(File.Exists(from) || Directory.Exists(from)))
                {
                    throw new FileNotFoundException($"COPY {source}: not in the build context ({(ignore.Excludes(relative) ? "excluded by .dockerignore" : "no such file")}), so `docker build` fails here.");
                }

                excluded = path => ignore.Excludes(Path.GetRelativePath(context, path).Replace('\\', '/'));
            }
            else
            {
                var stage = earlier.FirstOrDefault(candidate => string.Equals(candidate.Name, fromStage, StringComparison.OrdinalIgnoreCase))
                    ?? throw new NotSupportedException($"COPY --from={fromStage}: only earlier stages are emulated.");
                from = UnderRoot(stage.Root, source);
                if (!File.Exists(from) && !Directory.Exists(from))
                {
                    throw new FileNotFoundException($"COPY --from={fromStage} {source}: stage {fromStage} has no such path.");
                }

                excluded = _ => false;
            }

            if (Directory.Exists(from))
            {
                CopyTree(from, target, excluded);
            }
            else
            {
                var file = intoFolder ? Path.Combine(target, Path.GetFileName(from)) : target;
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.Copy(from, file, overwrite: true);
            }
        }
    }

    /// <summary>Copies the contents of a folder (symbolic links as links, as Docker copies them between stages).</summary>
    private static void CopyTree(string from, string to, Func<string, bool> excluded)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (excluded(entry.FullName))
            {
                continue;
            }

            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.Delete(target);
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                CopyTree(entry.FullName, target, excluded);
            }
            else
            {
                File.Copy(entry.FullName, target, overwrite: true);
            }
        }
    }

    private static void Run(DockerInstruction instruction, StageState state)
    {
        var argv = instruction.ExecForm()?.Select(word => MovePaths(word, state.Root)).ToList()
            ?? ["/bin/sh", "-c", MovePaths(instruction.Arguments, state.Root)];
        var start = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = UnderRoot(state.Root, state.WorkingDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        // This machine's environment (HOME, the NuGet cache and feeds), minus what `dotnet test` sets for
        // itself, plus what Docker gives a RUN step: the stage's ENV and its ARGs.
        foreach (var key in start.Environment.Keys.Where(IsTestHostVariable).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in state.Environment.Where(pair => pair.Key != "PATH").Concat(state.Args))
        {
            start.Environment[key] = value;
        }

        // A container's build leaves no MSBuild nodes or compiler server behind; neither may this one (they would
        // outlive the test and hold its output pipe).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"RUN {instruction.Arguments} did not finish within 10 minutes.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var errors = output.ToString().Split('\n').Where(line => line.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(20);
            throw new InvalidOperationException(
                $"RUN {instruction.Arguments} failed with exit code {process.ExitCode}, as `docker build` would:\n{string.Join('\n', errors)}");
        }
    }

    private static bool IsTestHostVariable(string name) =>
        name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase);

    /// <summary>An absolute path outside the system folders (<c>/app</c>, <c>/repo/src</c>) moved under the stage's root.</summary>
    public static string MovePaths(string text, string root) =>
        AbsolutePath().Replace(text, match => SystemFolders.Contains(match.Groups["first"].Value)
            ? match.Value
            : UnderRoot(root, match.Value));

    [GeneratedRegex(@"(?<=^|[\s=""'])/(?<first>[A-Za-z0-9_.-]+)(?:/[A-Za-z0-9_.${}-]*)*")]
    private static partial Regex AbsolutePath();

    private sealed class StageState(string name, string root)
    {
        public string Name { get; } = name;

        public string Root { get; } = root;

        public Dictionary<string, string> Environment { get; private set; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Args { get; } = new(StringComparer.Ordinal);

        public string WorkingDirectory { get; set; } = "/";

        public IReadOnlyList<string> Entrypoint { get; set; } = [];

        public IReadOnlyList<string> Command { get; set; } = [];

        public IReadOnlyList<string>? HealthCheck { get; set; }

        public void InheritFrom(StageState parent)
        {
            Environment = new Dictionary<string, string>(parent.Environment, StringComparer.Ordinal);
            WorkingDirectory = parent.WorkingDirectory;
            Entrypoint = parent.Entrypoint;
            Command = parent.Command;
            HealthCheck = parent.HealthCheck;
        }

        /// <summary>What ARG/ENV values expand with: the stage's ARGs, then its ENV (ENV wins, as in Docker).</summary>
        public Dictionary<string, string> Variables()
        {
            var variables = new Dictionary<string, string>(Args, StringComparer.Ordinal);
            foreach (var (key, value) in Environment)
            {
                variables[key] = value;
            }

            return variables;
        }
    }
}
