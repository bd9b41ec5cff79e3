using Deploy.Tests.Infrastructure;

namespace Deploy.Tests;

/// <summary>deploy/Dockerfile and .dockerignore against the projects under src/.</summary>
public sealed class DockerfileTests
{
    private const string DockerfilePath = "deploy/Dockerfile";

    private readonly List<(string Instruction, string Arguments)> _instructions =
        Dockerfile.Load(DockerfilePath).Instructions.Select(instruction => (instruction.Keyword, instruction.Arguments)).ToList();

    private int RestoreIndex => _instructions.FindIndex(instruction => instruction.Instruction == "RUN" && instruction.Arguments.Contains("dotnet restore", StringComparison.Ordinal));

    [Fact]
    public void Restore_layer_copies_every_project_file_under_src()
    {
        var copied = RestoreLayerCopies();
        var missing = Repository.SourceProjects()
            .Where(project => !copied.Any(copy => copy.Source == project && copy.Destination.TrimEnd('/') == Path.GetDirectoryName(project)!.Replace('\\', '/')))
            .ToList();
        Assert.True(missing.Count == 0, $"{DockerfilePath} restore layer does not copy: {string.Join(", ", missing)} (to its own folder)");
        Assert.Contains(copied, copy => copy.Source == "Directory.Build.props");
        Assert.Contains(copied, copy => copy.Source == "Directory.Packages.props");
    }

    [Fact]
    public void Restore_layer_copies_only_files_that_exist()
    {
        // A COPY of a missing file fails every image's build.
        var missing = RestoreLayerCopies().Select(copy => copy.Source).Where(source => !File.Exists(Repository.PathOf(source))).ToList();
        Assert.True(missing.Count == 0, $"{DockerfilePath} copies files that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Restore_comes_before_the_sources_are_copied()
    {
        var restore = RestoreIndex;
        var sources = _instructions.FindIndex(instruction => instruction.Instruction == "COPY" && instruction.Arguments.StartsWith("src/ ", StringComparison.Ordinal));
        var publish = _instructions.FindIndex(instruction => instruction.Instruction == "RUN" && instruction.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.True(restore >= 0 && restore < sources && sources < publish, "expected: COPY project files, RUN dotnet restore, COPY src/, RUN dotnet publish");
        Assert.Contains("--no-restore", _instructions[publish].Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_stage_is_non_root_with_a_healthcheck_and_pinned_bases()
    {
        var stages = _instructions.Where(instruction => instruction.Instruction == "FROM").Select(instruction => instruction.Arguments).ToList();
        Assert.True(stages.Count >= 2, "multi-stage: an sdk build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", stages[^1], StringComparison.Ordinal);
        Assert.All(stages, stage => Assert.True(ImageReference.IsPinned(stage.Split(' ')[0]), $"FROM {stage} is not pinned"));

        var runtime = _instructions.Skip(_instructions.FindLastIndex(instruction => instruction.Instruction == "FROM")).ToList();
        Assert.Contains(runtime, instruction => instruction.Instruction == "USER" && instruction.Arguments is "$APP_UID" or "${APP_UID}");
        var healthcheck = Assert.Single(runtime, instruction => instruction.Instruction == "HEALTHCHECK");
        Assert.Contains("HEALTH_PORT", healthcheck.Arguments, StringComparison.Ordinal);
        Assert.Contains("/healthz", healthcheck.Arguments, StringComparison.Ordinal);
        Assert.Contains(runtime, instruction => instruction.Instruction == "ARG" && instruction.Arguments.StartsWith("HEALTH_PORT", StringComparison.Ordinal));
        Assert.Contains(_instructions, instruction => instruction.Instruction == "ARG" && instruction.Arguments.StartsWith("PROJECT", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerignore_keeps_build_output_git_and_tests_out_but_not_what_the_build_needs()
    {
        var patterns = Repository.Read(".dockerignore").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.TrimEnd('/'))
            .ToList();
        Assert.Contains("**/bin", patterns);
        Assert.Contains("**/obj", patterns);
        Assert.Contains(".git", patterns);
        Assert.Contains("tests", patterns);

        var needed = RestoreLayerCopies().Select(copy => copy.Source).Append("src").Append(DockerfilePath);
        var excluded = needed.Where(path => patterns.Any(pattern => path == pattern || path.StartsWith(pattern + "/", StringComparison.Ordinal))).ToList();
        Assert.Empty(excluded);
    }

    [Fact]
    public void Sdk_image_is_the_sdk_global_json_pins()
    {
        using var globalJson = System.Text.Json.JsonDocument.Parse(Repository.Read("global.json"));
        var pinned = globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString();
        var sdk = Dockerfile.Load(DockerfilePath).Stages.Select(stage => stage.From).Single(from => from.StartsWith("mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal));
        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{pinned}", sdk);
    }

    [Fact]
    public void Entrypoint_is_exec_form_without_a_shell()
    {
        // dash (the images' /bin/sh) drops variables whose names are not shell identifiers, such as
        // ReverseProxy__Clusters__users__Destinations__users-1__Address; ImageTests runs it to prove the rest.
        var entrypoint = Assert.Single(_instructions, instruction => instruction.Instruction == "ENTRYPOINT");
        var argv = new DockerInstruction(entrypoint.Instruction, entrypoint.Arguments).ExecForm();
        Assert.True(argv is { Count: > 0 }, $"ENTRYPOINT {entrypoint.Arguments} is shell form: Docker runs it under /bin/sh -c");
        Assert.DoesNotMatch(@"(^|/)(sh|dash|bash|env)$", argv[0]);
    }

    private List<(string Source, string Destination)> RestoreLayerCopies()
    {
        var restore = RestoreIndex;
        Assert.True(restore >= 0, $"{DockerfilePath} has no RUN dotnet restore");
        return _instructions.Take(restore)
            .Where(instruction => instruction.Instruction == "COPY" && !instruction.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(instruction =>
            {
                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => !word.StartsWith("--", StringComparison.Ordinal)).ToList();
                var destination = words[^1];
                return words.SkipLast(1).Select(source => (source, destination == "./" ? "." : destination));
            })
            .ToList();
    }
}
