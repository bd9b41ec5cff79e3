using System.Text.RegularExpressions;

namespace Gateway.IntegrationTests.Readme;

/// <summary>
/// The README's section "Make each status code happen" as a test reads it: the indented lines above the table are
/// the setup (G, A, the tokens), each table line after the header is a <see cref="StatusTableRow"/>.
/// </summary>
internal sealed partial class StatusTable
{
    public const string Heading = "## Make each status code happen";

    /// <summary>The documented addresses the setup names; the test swaps in the demo's free ports.</summary>
    public const string DocumentedPublic = "http://localhost:8080";
    public const string DocumentedAdmin = "http://localhost:8081";

    private StatusTable(string setup, IReadOnlyList<StatusTableRow> rows)
    {
        Setup = setup;
        Rows = rows;
    }

    /// <summary>The indented code lines of the section before its table, as written.</summary>
    public string Setup { get; }

    public IReadOnlyList<StatusTableRow> Rows { get; }

    public static StatusTable FromReadme(string readme)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var start = Array.IndexOf(lines, Heading);
        Assert.True(start >= 0, $"README.md has a section headed exactly '{Heading}'");
        var end = Array.FindIndex(lines, start + 1, line => line.StartsWith("## ", StringComparison.Ordinal));
        var section = lines[(start + 1)..(end < 0 ? lines.Length : end)];

        var tableStart = Array.FindIndex(section, line => line.StartsWith('|'));
        Assert.True(tableStart >= 0, $"'{Heading}' has a table");
        var setup = string.Join('\n', section[..tableStart]
            .Where(line => line.StartsWith("    ", StringComparison.Ordinal))
            .Select(line => line[4..]));
        var rows = section[tableStart..]
            .TakeWhile(line => line.StartsWith('|'))
            .Select((line, index) => (line, index))
            .Skip(2) // the header and the |---| line
            .Select(row => StatusTableRow.Parse(row.line))
            .ToList();
        return new StatusTable(setup, rows);
    }

    /// <summary>The setup with the documented addresses replaced by the running demo's (a test never uses 8080/8081).</summary>
    public string SetupFor(Uri publicUrl, Uri adminUrl)
    {
        Assert.Contains($"G={DocumentedPublic}", Setup, StringComparison.Ordinal);
        Assert.Contains($"A={DocumentedAdmin}", Setup, StringComparison.Ordinal);
        return Setup
            .Replace(DocumentedPublic, publicUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace(DocumentedAdmin, adminUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
    }

    /// <summary>A literal port or host in a row would reach whatever runs there (a developer's own demo), not the test's.</summary>
    public static bool NamesAnAddress(string command) => LiteralAddress().IsMatch(command);

    [GeneratedRegex(@"localhost|127\.0\.0\.1|:808[01]\b")]
    private static partial Regex LiteralAddress();
}
