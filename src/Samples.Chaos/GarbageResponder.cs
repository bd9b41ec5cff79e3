using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Samples.Chaos;

/// <summary>
/// Kestrel connection middleware that answers requests for <see cref="Path"/> with bytes that are not HTTP,
/// something no request handler can do because Kestrel always writes a valid status line.
/// </summary>
internal static class GarbageResponder
{
    public const string Path = "/chaos/garbage";

    private const int MaxRequestLineBytes = 8 * 1024;

    public static ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        bool isGarbageRequest;
        try
        {
            isGarbageRequest = await PeekIsGarbageRequestAsync(connection);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return; // The client went away before sending a request line.
        }

        if (!isGarbageRequest)
        {
            await next(connection);
            return;
        }

        await connection.Transport.Output.WriteAsync("this is not http\r\n\r\n"u8.ToArray());
        // Returning closes the connection.
    };

    private static async Task<bool> PeekIsGarbageRequestAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            var lineEnd = buffer.PositionOf((byte)'\n');
            if (lineEnd is null && buffer.Length < MaxRequestLineBytes && !read.IsCompleted)
            {
                // Nothing consumed, everything examined: wait for more bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var isGarbage = lineEnd is { } end && IsGarbageRequestLine(buffer.Slice(buffer.Start, end));
            // Nothing consumed or examined, so Kestrel reads the same bytes again at once.
            input.AdvanceTo(buffer.Start);
            return isGarbage;
        }
    }

    // A request line is "METHOD SP request-target SP HTTP-version"; any method, optional query.
    private static bool IsGarbageRequestLine(ReadOnlySequence<byte> line)
    {
        var parts = Encoding.ASCII.GetString(line).Split(' ');
        if (parts.Length < 2)
        {
            return false;
        }

        var target = parts[1];
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? target : target[..queryStart];
        return string.Equals(path, Path, StringComparison.Ordinal);
    }
}
