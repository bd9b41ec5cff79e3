using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Deploy.Tests.Infrastructure;

/// <summary>One instruction, continuation lines joined; <see cref="Arguments"/> as written (variables not expanded).</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    /// <summary>The JSON array of an exec-form instruction (ENTRYPOINT, CMD, RUN), null for shell form.</summary>
    public IReadOnlyList<string>? ExecForm(string? text = null)
    {
        var value = (text ?? Arguments).Trim();
        if (!value.StartsWith('['))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(value);
        }
        catch (JsonException)
        {
            return null; // Docker too takes a malformed array as shell form.
        }
    }
}

/// <summary>A stage: its FROM line (base image or earlier stage, and its name) and its instructions.</summary>
internal sealed record DockerStage(int Index, string From, string? Name, IReadOnlyList<DockerInstruction> Instructions);

/// <summary>
/// A Dockerfile as Docker reads it: instructions with continuations joined and comments dropped, stages,
/// and the variable expansion Docker applies to FROM, ARG, ENV, WORKDIR, COPY and USER.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions)
    {
        Instructions = instructions;
        var stages = new List<DockerStage>();
        var globalArgs = new List<DockerInstruction>();
        string? from = null;
        string? name = null;
        var body = new List<DockerInstruction>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                if (from is not null)
                {
                    stages.Add(new DockerStage(stages.Count, from, name, body));
                }

                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => !word.StartsWith("--", StringComparison.Ordinal)).ToList();
                from = words[0];
                name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                body = [];
            }
            else if (from is null)
            {
                globalArgs.Add(instruction);
            }
            else
            {
                body.Add(instruction);
            }
        }

        if (from is not null)
        {
            stages.Add(new DockerStage(stages.Count, from, name, body));
        }

        Stages = stages;
        GlobalArgs = globalArgs;
    }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>ARG lines before the first FROM: they may be used in FROM lines only.</summary>
    public IReadOnlyList<DockerInstruction> GlobalArgs { get; }

    public static Dockerfile Load(string relativePath) => Parse(Repository.Read(relativePath));

    public static Dockerfile Parse(string text)
    {
        var result = new List<DockerInstruction>();
        var pending = new StringBuilder();
        foreach (var raw in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            var full = (pending + line).Trim();
            pending.Clear();
            if (full.Length == 0)
            {
                continue;
            }

            var space = full.IndexOf(' ', StringComparison.Ordinal);
            result.Add(space < 0
                ? new DockerInstruction(full.ToUpperInvariant(), "")
                : new DockerInstruction(full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
        }

        return new Dockerfile(result);
    }

    public DockerStage Stage(string nameOrIndex) =>
        Stages.FirstOrDefault(stage => string.Equals(stage.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase))
        ?? (int.TryParse(nameOrIndex, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < Stages.Count ? Stages[index] : null)
        ?? throw new KeyNotFoundException($"No stage '{nameOrIndex}' (stages: {string.Join(", ", Stages.Select(stage => stage.Name ?? stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)))}).");

    /// <summary>A stage's FROM with global ARGs expanded (build args first, then their defaults).</summary>
    public string BaseOf(DockerStage stage, IReadOnlyDictionary<string, string> buildArgs)
    {
        var globals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in GlobalArgs.Where(instruction => instruction.Keyword == "ARG"))
        {
            var (key, value) = ArgOf(arg.Arguments, globals);
            globals[key] = buildArgs.TryGetValue(key, out var given) ? given : value ?? "";
        }

        return Expand(stage.From, globals);
    }

    /// <summary>The name and default of <c>ARG NAME[=default]</c>, the default expanded.</summary>
    public static (string Name, string? Default) ArgOf(string arguments, IReadOnlyDictionary<string, string> variables)
    {
        var equals = arguments.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arguments.Trim(), null) : (arguments[..equals].Trim(), Expand(Unquote(arguments[(equals + 1)..].Trim()), variables));
    }

    /// <summary>The pairs of <c>ENV K=V K2="V 2"</c> (or the legacy <c>ENV K V</c>), values expanded.</summary>
    public static IReadOnlyList<(string Key, string Value)> EnvOf(string arguments, IReadOnlyDictionary<string, string> variables)
    {
        var words = Words(arguments);
        if (words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            var space = arguments.IndexOf(' ', StringComparison.Ordinal);
            return [(words[0], Expand(space < 0 ? "" : arguments[(space + 1)..].Trim(), variables))];
        }

        return words.Select(word => word.Split('=', 2)).Select(parts => (parts[0], Expand(Unquote(parts[1]), variables))).ToList();
    }

    /// <summary>$NAME, ${NAME}, ${NAME:-default} and ${NAME-default}, as Docker expands them outside RUN.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> variables) =>
        Variable().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
            var found = variables.TryGetValue(name, out var value);
            if (match.Groups["default"].Success)
            {
                var emptyCounts = match.Groups["colon"].Success;
                return found && !(emptyCounts && value!.Length == 0) ? value! : match.Groups["default"].Value;
            }

            return found ? value! : "";
        });

    /// <summary>Words split on spaces outside quotes, quotes kept (Unquote removes them).</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is null && c == ' ')
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            if (c is '"' or '\'')
            {
                quote = quote == c ? null : quote ?? c;
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<colon>:)?-(?<default>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();
}
