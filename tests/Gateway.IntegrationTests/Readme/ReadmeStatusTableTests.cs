namespace Gateway.IntegrationTests.Readme;

/// <summary>
/// Issue 25, examples that are tests: every command of the README's status table runs as written, in order, with bash,
/// against the native demo (--no-traffic), and shows its row's status and the headers the row names (the convention is
/// on <see cref="StatusTableRow"/> and in the README). The README is only read.
/// </summary>
public sealed class ReadmeStatusTableTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_row_of_the_readme_status_table_shows_its_status_and_headers_against_the_demo()
    {
        RealComponents.Require("curl");
        var table = StatusTable.FromReadme(Repository.Read("README.md"));
        Assert.True(table.Rows.Count >= 30, $"the status table has its rows ({table.Rows.Count} read)");
        var folder = Directory.CreateTempSubdirectory("readme-status-table-"); // the 304 row writes etag.txt
        try
        {
            await using var demo = await DemoProcess.StartAsync();
            var setup = table.SetupFor(demo.PublicUrl, demo.AdminUrl);
            var failures = new List<string>();
            foreach (var row in table.Rows)
            {
                if (row.Commands.Count == 0)
                {
                    failures.Add(row.Failure("(none)", "", "the curl column has no command in backticks"));
                }

                foreach (var command in row.Commands)
                {
                    if (StatusTable.NamesAnAddress(command))
                    {
                        failures.Add(row.Failure(command, "", "the command names a host or port: use $G or $A"));
                        continue;
                    }

                    var output = await BashCommand.RunAsync(setup, command, folder.FullName, CommandTimeout);
                    failures.AddRange(output is null
                        ? [row.Failure(command, "", $"did not end within {CommandTimeout.TotalSeconds} s")]
                        : row.Check(command, output));
                }
            }

            Assert.True(failures.Count == 0, $"{failures.Count} failures:\n\n{string.Join("\n\n", failures)}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_row_whose_status_or_header_is_wrong_fails_naming_the_row()
    {
        var row = StatusTableRow.Parse("| 201 | `curl -i $G/api/users -d '{}'` | upstream | `Location: /api/users/3`, `ETag`, not `Overload:Clusters:chaos` |");
        Assert.Equal(201, row.Code);
        Assert.Equal(["curl -i $G/api/users -d '{}'"], row.Commands);
        Assert.Equal([("Location", "/api/users/3"), ("ETag", (string?)null)], row.Headers);

        Assert.Empty(row.Check(row.Commands[0], "HTTP/1.1 201 Created\r\nLocation: /api/users/3\r\netag: \"x\"\r\n\r\n{}"));
        var wrong = row.Check(row.Commands[0], "HTTP/1.1 201 Created\r\nLocation: /api/users/4\r\n\r\n{}").ToList();
        Assert.Equal(2, wrong.Count);
        Assert.All(wrong, failure => Assert.StartsWith("README status table row '| 201 |", failure, StringComparison.Ordinal));
        Assert.Contains("expected Location: /api/users/3…, the output has Location: /api/users/4", wrong[0], StringComparison.Ordinal);
        Assert.Contains("expected a ETag header", wrong[1], StringComparison.Ordinal);
        Assert.Contains("expected status 201, the output shows [409]", row.Check(row.Commands[0], "HTTP/1.1 409 Conflict\r\n").First(), StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_printed_with_w_count_and_headers_after_them_too()
    {
        const string Command = "curl -s -o /dev/null -w '%{http_code} Retry-After: %header{retry-after}\\n' \"$G/x/[1-3]\"";
        var row = StatusTableRow.Parse($"| 503 | `{Command}` | gateway | `Retry-After: 2` |");
        Assert.Empty(row.Check(Command, "503 Retry-After: 2\n200 Retry-After: \n"));
        Assert.NotEmpty(row.Check(Command, "200 Retry-After: \n"));
        Assert.NotEmpty(row.Check("curl -s $G/x", "503 Retry-After: 2\n")); // without -w a bare number is not a status
    }
}
