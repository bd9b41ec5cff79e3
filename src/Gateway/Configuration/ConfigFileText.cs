using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Gateway.Configuration;

/// <summary>
/// Reads the config file's text or says in one line why it cannot: missing, a directory, a link to nothing, over
/// <see cref="MaxBytes"/>, not UTF-8, unreadable, or a read that does not finish (a FIFO or a hung mount blocks in
/// open). Never throws: at start the reason stops the process, on an edit it is a rejected edit.
/// </summary>
internal static class ConfigFileText
{
    /// <summary>How every such error starts (<see cref="ConfigSections"/> labels it <c>file</c>).</summary>
    public const string ErrorPrefix = "file: ";

    public const int MaxBytes = ConfigFileSource.MaxFileBytes;

    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly byte[] Utf8ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>The rejection error for <paramref name="reason"/>: "file: /path is a directory, not a file".</summary>
    public static string Error(string path, string reason) => $"{ErrorPrefix}{path} {reason}";

    /// <param name="reason">Why the text could not be read, to follow the path: "is a directory, not a file".</param>
    public static bool TryRead(string path, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? reason)
    {
        text = null;
        var error = Problem(path);
        if (error is null)
        {
            // Opening a FIFO blocks until a writer comes: read aside and give up after the timeout (the thread stays blocked).
            var read = Task.Run(() => ReadBytes(path));
            if (!read.Wait(ReadTimeout))
            {
                error = $"could not be read within {ReadTimeout.TotalSeconds:0} s (a pipe or a hung mount?)";
            }
            else
            {
                (var bytes, error) = read.Result;
                if (bytes is not null)
                {
                    error = Decode(bytes, out text);
                }
            }
        }

        reason = error;
        return error is null;
    }

    /// <summary>What is wrong with the path before it is opened, or null.</summary>
    private static string? Problem(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return "is a directory, not a file";
            }

            // A link to nothing counts as an existing file here: ask where it leads first.
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target && info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
            {
                return $"is a link to {target}, which does not exist";
            }

            if (!info.Exists)
            {
                return "does not exist";
            }

            return info.Length > MaxBytes ? TooLarge(info.Length) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot be read: {ex.Message}";
        }
    }

    private static (byte[]? Bytes, string? Error) ReadBytes(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Read at most one byte past the limit (the file may have grown since it was measured), in chunks: the
            // limit is far above a usual file, so no buffer of its size is taken for every reload.
            using var content = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while (content.Length <= MaxBytes && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxBytes + 1 - content.Length))) > 0)
            {
                content.Write(chunk, 0, read);
            }

            return content.Length > MaxBytes ? (null, TooLarge(content.Length)) : (content.ToArray(), null);
        }
        catch (FileNotFoundException)
        {
            return (null, "does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            return (null, "cannot be read: permission denied");
        }
        catch (IOException ex)
        {
            return (null, $"cannot be read: {ex.Message}");
        }
    }

    private static string? Decode(byte[] bytes, out string? text)
    {
        var start = bytes.AsSpan().StartsWith(Utf8ByteOrderMark) ? Utf8ByteOrderMark.Length : 0;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
            return null;
        }
        catch (DecoderFallbackException ex)
        {
            text = null;
            return ex.Index >= 0 ? $"is not valid UTF-8 (byte {start + ex.Index + 1})" : "is not valid UTF-8";
        }
    }

    private static string TooLarge(long length) => $"is {length} bytes; the limit is {MaxBytes} bytes ({MaxBytes / 1024 / 1024} MiB)";
}
