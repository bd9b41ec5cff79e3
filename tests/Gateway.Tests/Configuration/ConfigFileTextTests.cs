using System.Diagnostics;
using System.Text;
using Gateway.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>Real files in a temp folder: each way a config file can be unreadable gives a reason, never an exception.</summary>
public sealed class ConfigFileTextTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-config-text-").FullName;

    private string Path => System.IO.Path.Combine(_directory, "appsettings.json");

    [Fact]
    public void A_utf8_file_is_read_without_its_byte_order_mark()
    {
        File.WriteAllBytes(Path, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes("""{ "A": "é" }""")]);
        Assert.True(ConfigFileText.TryRead(Path, out var text, out var reason), reason);
        Assert.Equal("""{ "A": "é" }""", text);
    }

    [Fact]
    public void A_directory_is_named_as_one()
    {
        Directory.CreateDirectory(Path);
        Assert.Equal("is a directory, not a file", Reason());
    }

    [Fact]
    public void A_link_to_nothing_names_its_target()
    {
        var target = System.IO.Path.Combine(_directory, "gone.json");
        File.CreateSymbolicLink(Path, target);
        Assert.Equal($"is a link to {target}, which does not exist", Reason());
    }

    [Fact]
    public void A_missing_file_does_not_exist() => Assert.Equal("does not exist", Reason());

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_their_position()
    {
        File.WriteAllBytes(Path, [.. Encoding.ASCII.GetBytes("""{ "A": " """), 0xff, .. Encoding.ASCII.GetBytes("\" }")]);
        Assert.Equal("is not valid UTF-8 (byte 10)", Reason());
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_before_it_is_read()
    {
        using (var file = File.Create(Path))
        {
            file.SetLength(ConfigFileText.MaxBytes + 1);
        }

        Assert.Equal($"is {ConfigFileText.MaxBytes + 1} bytes; the limit is {ConfigFileText.MaxBytes} bytes (8 MiB)", Reason());
    }

    [Fact]
    public void A_pipe_with_no_writer_gives_up_after_the_timeout()
    {
        using (var mkfifo = Process.Start("mkfifo", [Path]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        try
        {
            Assert.StartsWith("could not be read within", Reason(), StringComparison.Ordinal);
        }
        finally
        {
            // The abandoned read still waits in open(): a writer lets it finish.
            File.WriteAllText(Path, "");
        }
    }

    [Fact]
    public void The_error_names_the_file_after_the_prefix_the_metric_labels_file()
    {
        var error = ConfigFileText.Error(Path, "is a directory, not a file");
        Assert.Equal($"file: {Path} is a directory, not a file", error);
        Assert.Equal(ConfigSections.File, new ConfigSections([]).Of([error]));
    }

    private string Reason()
    {
        Assert.False(ConfigFileText.TryRead(Path, out var text, out var reason));
        Assert.Null(text);
        return reason;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
