using System.Globalization;

namespace Samples.GrpcClient;

/// <summary>The command line: a command (get or watch), the call's knobs and how to reach the server.</summary>
public sealed class ClientOptions
{
    public const string Usage = """
        usage: Samples.GrpcClient [--address URL] [--insecure] [--deadline-ms N] [--header name=value]... COMMAND
          get    --id N [--fail-with CODE] [--delay-ms N]
          watch  [--count N] [--interval-ms N] [--reset-after N] [--fail-with CODE] [--delay-ms N]
        --address      http://host:port (h2c) or https://host:port (TLS; HTTP/2 by ALPN). Default http://localhost:8080.
        --insecure     accept any server certificate (a self-signed one on localhost).
        --deadline-ms  the call's deadline (sent as grpc-timeout); none by default.
        --header       request metadata, repeatable (e.g. --header x-api-key=secret).
        --fail-with    a gRPC status code (1-16) for the sample to answer with, e.g. 14 (UNAVAILABLE).
        --delay-ms     the sample waits this long before answering.
        --reset-after  the sample aborts the HTTP/2 stream after this many replies.
        Prints the HTTP response, each reply, the status and the trailers; the exit code is the gRPC status code
        (0 for OK), 64 for a usage error.
        """;

    private static readonly string[] Commands = ["get", "watch"];
    private static readonly string[] Flags = ["--insecure"];
    private static readonly string[] Valued =
        ["--address", "--deadline-ms", "--header", "--id", "--fail-with", "--delay-ms", "--count", "--interval-ms", "--reset-after"];

    public required string Command { get; init; }

    public required Uri Address { get; init; }

    public bool Insecure { get; init; }

    public int? DeadlineMs { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public int Id { get; init; }

    public int FailWith { get; init; }

    public int DelayMs { get; init; }

    public int Count { get; init; }

    public int IntervalMs { get; init; }

    public int ResetAfter { get; init; }

    /// <summary>The options, or the reason the command line is wrong.</summary>
    public static (ClientOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? command = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (Commands.Contains(arg) && command is null)
            {
                command = arg;
            }
            else if (Flags.Contains(arg))
            {
                flags.Add(arg);
            }
            else if (Valued.Contains(arg))
            {
                if (i + 1 >= args.Count)
                {
                    return (null, $"{arg} needs a value");
                }

                var value = args[++i];
                if (arg == "--header")
                {
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        return (null, $"--header {value}: expected name=value");
                    }

                    headers.Add(new(value[..equals].ToLowerInvariant(), value[(equals + 1)..]));
                }
                else
                {
                    values[arg] = value;
                }
            }
            else
            {
                return (null, $"unknown argument '{arg}'");
            }
        }

        if (command is null)
        {
            return (null, "no command: get or watch");
        }

        var address = values.GetValueOrDefault("--address", "http://localhost:8080");
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, $"--address {address}: expected http://host:port or https://host:port");
        }

        var errors = new List<string>();
        int Number(string name, int fallback)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            errors.Add($"{name} {text}: expected a whole number, 0 or more");
            return fallback;
        }

        var options = new ClientOptions
        {
            Command = command,
            Address = uri,
            Insecure = flags.Contains("--insecure"),
            DeadlineMs = values.ContainsKey("--deadline-ms") ? Number("--deadline-ms", 0) : null,
            Headers = headers,
            Id = Number("--id", 0),
            FailWith = Number("--fail-with", 0),
            DelayMs = Number("--delay-ms", 0),
            Count = Number("--count", 0),
            IntervalMs = Number("--interval-ms", 0),
            ResetAfter = Number("--reset-after", 0),
        };
        return errors.Count > 0 ? (null, string.Join("; ", errors)) : (options, null);
    }
}
