using System.Text.RegularExpressions;

namespace Gateway.IntegrationTests.Readme;

/// <summary>
/// One row of the README's status table and what the test checks in it (the convention the README states):
/// <list type="bullet">
/// <item>the <b>code</b> column is the status every command of the row must show, as a status line
/// (<c>HTTP/1.1 201 Created</c>, <c>&lt; HTTP/1.1 100 Continue</c> with <c>-v</c>) or as a code printed by
/// <c>-w '%{http_code}'</c> (a three-digit word at the start of a line or after another such code);</item>
/// <item>every code span of the <b>curl</b> column is one command, run with bash in the order written;</item>
/// <item>every code span of <b>what to look at</b> shaped like a response header, <c>Name</c> or <c>Name: value</c>
/// with Name starting with a capital letter, must appear in each command's output as a header line (after an
/// optional <c>&lt; </c> or printed code) whose value starts with the given value. Request headers there are
/// written as curl options (<c>-H 'If-None-Match: …'</c>), which the convention leaves alone.</item>
/// </list>
/// </summary>
internal sealed partial record StatusTableRow(string Text, int Code, IReadOnlyList<string> Commands, IReadOnlyList<(string Name, string? Value)> Headers)
{
    public static StatusTableRow Parse(string line)
    {
        var cells = CellSeparator().Split(line.Trim().Trim('|'))
            .Select(cell => cell.Trim().Replace(@"\|", "|", StringComparison.Ordinal))
            .ToArray();
        Assert.True(cells.Length == 4, $"The status table row has the four columns code | curl | made by | what to look at: {line}");
        var code = int.TryParse(cells[0], out var number) ? number : 0;
        var commands = CodeSpans(cells[1]).ToList();
        var headers = CodeSpans(cells[3])
            .Select(span => HeaderShape().Match(span))
            .Where(match => match.Success)
            .Select(match => (match.Groups["name"].Value, match.Groups["value"].Success ? (string?)match.Groups["value"].Value : null))
            .ToList();
        return new StatusTableRow(line, code, commands, headers);
    }

    /// <summary>What is wrong with one command's output (empty when the row holds), each message naming the row.</summary>
    public IEnumerable<string> Check(string command, string output)
    {
        var shown = StatusLine().Matches(output).Select(match => match.Groups[1].Value)
            .Concat(command.Contains("%{http_code}", StringComparison.Ordinal)
                ? WrittenCode().Matches(output).Select(match => match.Groups[1].Value)
                : [])
            .Select(int.Parse)
            .ToList();
        if (Code is < 100 or > 599)
        {
            yield return Failure(command, output, "the code column is not a status code");
        }
        else if (!shown.Contains(Code))
        {
            yield return Failure(command, output, $"expected status {Code}, the output shows [{string.Join(", ", shown)}]");
        }

        foreach (var (name, value) in Headers)
        {
            var values = new Regex($@"^(?:< |\d{{3}} )?{Regex.Escape(name)}:[ \t]*(.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)
                .Matches(output).Select(match => match.Groups[1].Value.TrimEnd('\r')).ToList();
            if (values.Count == 0)
            {
                yield return Failure(command, output, $"expected a {name} header, there is none");
            }
            else if (value is not null && !values.Any(seen => seen.StartsWith(value, StringComparison.Ordinal)))
            {
                yield return Failure(command, output, $"expected {name}: {value}…, the output has {name}: {string.Join(" / ", values)}");
            }
        }
    }

    public string Failure(string command, string output, string what) =>
        $"README status table row '{Text}'\n  command: {command}\n  {what}\n  output:\n{Indent(output)}";

    private static IEnumerable<string> CodeSpans(string cell) => CodeSpan().Matches(cell).Select(match => match.Groups[1].Value);

    private static string Indent(string output)
    {
        var lines = output.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        var shown = lines.Length > 40 ? [.. lines[..40], $"... ({lines.Length - 40} more lines)"] : lines;
        return string.Join('\n', shown.Select(line => "    " + line));
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSeparator();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^(?<name>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?:: (?<value>.+))?$")]
    private static partial Regex HeaderShape();

    [GeneratedRegex(@"HTTP/\d(?:\.\d)? (\d{3})\b")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"(?:^|(?<=\b\d{3} ))(\d{3})(?=[ \t\r]|$)", RegexOptions.Multiline)]
    private static partial Regex WrittenCode();
}
