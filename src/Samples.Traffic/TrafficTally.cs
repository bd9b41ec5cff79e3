using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;

namespace Samples.Traffic;

/// <summary>Thread-safe counts of what the generator sent: per status code, and failures (no HTTP answer).</summary>
public sealed class TrafficTally
{
    private readonly long[] _codes = new long[600];
    private long _failed;
    private long _cancelled;
    private readonly long[] _grpc = new long[(int)StatusCode.Unauthenticated + 1];
    private readonly ConcurrentDictionary<string, long> _reasons = new(StringComparer.Ordinal);

    internal void Record(int code)
    {
        if (code is >= 100 and < 600)
        {
            Interlocked.Increment(ref _codes[code]);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>No HTTP answer; <paramref name="cause"/>, when known, is counted by <see cref="Reason"/>.</summary>
    internal void RecordFailed(Exception? cause = null)
    {
        Interlocked.Increment(ref _failed);
        _reasons.AddOrUpdate(Reason(cause), 1, static (_, count) => count + 1);
    }

    /// <summary>
    /// Why a request got no answer: the client's own timeout, else the socket's error (connection_refused,
    /// connection_reset, timed_out, ...), else HttpClient's error kind (response_ended, ...), else the exception's type
    /// name; bounded by those enums and types.
    /// </summary>
    public static string Reason(Exception? cause)
    {
        for (var inner = cause; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case TimeoutException:
                    return "timeout";
                case SocketException socket:
                    return ToSnakeCase(socket.SocketErrorCode.ToString());
            }
        }

        return cause switch
        {
            null => "unknown",
            HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => ToSnakeCase(http.HttpRequestError.ToString()),
            HttpIOException { HttpRequestError: not HttpRequestError.Unknown } io => ToSnakeCase(io.HttpRequestError.ToString()),
            _ => cause.GetType().Name,
        };
    }

    /// <summary>ConnectionRefused -> connection_refused.</summary>
    internal static string ToSnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    internal void RecordGrpc(StatusCode code) => Interlocked.Increment(ref _grpc[(int)code]);

    internal void RecordCancelled() => Interlocked.Increment(ref _cancelled);

    /// <summary>A consistent-enough copy of the counts at this moment.</summary>
    public TrafficCounts Snapshot()
    {
        var codes = new SortedDictionary<int, long>();
        for (var code = 100; code < _codes.Length; code++)
        {
            var count = Interlocked.Read(ref _codes[code]);
            if (count > 0)
            {
                codes[code] = count;
            }
        }

        var grpc = new SortedDictionary<StatusCode, long>();
        for (var code = 0; code < _grpc.Length; code++)
        {
            if (Interlocked.Read(ref _grpc[code]) is > 0 and var count)
            {
                grpc[(StatusCode)code] = count;
            }
        }

        return new TrafficCounts(codes, Interlocked.Read(ref _failed), Interlocked.Read(ref _cancelled))
        {
            GrpcCodes = grpc,
            FailureReasons = new SortedDictionary<string, long>(_reasons, StringComparer.Ordinal),
        };
    }
}

/// <summary>
/// Counts at one moment. <see cref="Failed"/>: no HTTP answer (refused, reset, client timeout);
/// <see cref="Cancelled"/>: in flight when the run was stopped (not part of <see cref="Sent"/>);
/// <see cref="GrpcCodes"/>: gRPC calls per status the client got (not part of <see cref="Codes"/>).
/// </summary>
public sealed record TrafficCounts(IReadOnlyDictionary<int, long> Codes, long Failed, long Cancelled)
{
    public IReadOnlyDictionary<StatusCode, long> GrpcCodes { get; init; } = new Dictionary<StatusCode, long>();

    /// <summary>The failures by <see cref="TrafficTally.Reason"/>.</summary>
    public IReadOnlyDictionary<string, long> FailureReasons { get; init; } = new Dictionary<string, long>();

    /// <summary>gRPC calls that ended with a status.</summary>
    public long Grpc => GrpcCodes.Values.Sum();

    public long GrpcNotOk => Grpc - GrpcCode(StatusCode.OK);

    public long GrpcCode(StatusCode code) => GrpcCodes.TryGetValue(code, out var count) ? count : 0;

    /// <summary>Requests that got an answer or failed.</summary>
    public long Sent => Codes.Values.Sum() + Failed;

    /// <summary>Responses of a class: 2 for 2xx, and so on.</summary>
    public long Class(int hundreds) => Codes.Where(pair => pair.Key / 100 == hundreds).Sum(pair => pair.Value);

    /// <summary>Per class in the gateway metric's label form ("2xx"); every class 1xx to 5xx is present.</summary>
    public IReadOnlyDictionary<string, long> ByClass =>
        Enumerable.Range(1, 5).ToDictionary(hundreds => $"{hundreds}xx", Class);

    public long Code(int code) => Codes.TryGetValue(code, out var count) ? count : 0;

    /// <summary>What happened between <paramref name="earlier"/> and this snapshot.</summary>
    public TrafficCounts Since(TrafficCounts earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var codes = Codes.Select(pair => (pair.Key, Count: pair.Value - earlier.Code(pair.Key)))
            .Where(pair => pair.Count > 0)
            .ToDictionary(pair => pair.Key, pair => pair.Count);
        var grpc = GrpcCodes.Select(pair => (pair.Key, Count: pair.Value - earlier.GrpcCode(pair.Key)))
            .Where(pair => pair.Count > 0)
            .ToDictionary(pair => pair.Key, pair => pair.Count);
        var reasons = FailureReasons.Select(pair => (pair.Key, Count: pair.Value - earlier.FailureReasons.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Count > 0)
            .ToDictionary(pair => pair.Key, pair => pair.Count);
        return new TrafficCounts(codes, Failed - earlier.Failed, Cancelled - earlier.Cancelled) { GrpcCodes = grpc, FailureReasons = reasons };
    }

    /// <summary>"timeout x3  connection_refused x1", or "none".</summary>
    public string ToFailureReasons() => FailureReasons.Count == 0 ? "none" : string.Join("  ", FailureReasons.OrderByDescending(pair => pair.Value)
        .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} x{pair.Value}")));

    /// <summary>"sent 50  2xx 38  3xx 4  4xx 6  5xx 2  failed 0".</summary>
    public string ToSummary() => string.Create(CultureInfo.InvariantCulture,
        $"sent {Sent}  2xx {Class(2)}  3xx {Class(3)}  4xx {Class(4)}  5xx {Class(5)}  failed {Failed}");

    /// <summary>"  grpc 12 (not OK 2)", for a run that makes gRPC calls.</summary>
    public string ToGrpcSummary() => string.Create(CultureInfo.InvariantCulture, $"  grpc {Grpc} (not OK {GrpcNotOk})");

    /// <summary>"OK x10  UNAVAILABLE x1 ...": the names gateway_grpc_responses_total uses.</summary>
    public string ToGrpcCodes() => GrpcCodes.Count == 0 ? "none" : string.Join("  ", GrpcCodes.OrderBy(pair => pair.Key)
        .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{GrpcName(pair.Key)} x{pair.Value}")));

    /// <summary>NotFound -> NOT_FOUND, as grpc/grpc doc/statuscodes.md spells them.</summary>
    public static string GrpcName(StatusCode code) => code == StatusCode.OK ? "OK" : TrafficTally.ToSnakeCase(code.ToString()).ToUpperInvariant();

    /// <summary>"200 x31  201 x4  304 x9 ...".</summary>
    public string ToCodes()
    {
        var text = new StringBuilder();
        foreach (var (code, count) in Codes.OrderBy(pair => pair.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? "  " : "")}{code} x{count}");
        }

        return text.Length > 0 ? text.ToString() : "none";
    }
}
