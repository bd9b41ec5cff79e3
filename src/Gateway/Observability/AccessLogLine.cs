using System.Collections;
using System.Globalization;

namespace Gateway.Observability;

/// <summary>
/// One access-log line as structured state: every field keeps its type for JSON (UpstreamMs a number, or null when no
/// upstream was called), and the text line prints "-" where a field has no value, which a LoggerMessage template cannot.
/// The trace fields carry OpenTelemetry's log data model names (trace_id, span_id), so a log pipeline links a line to its trace.
/// Error and Reason say why a forward failed (a gateway-made 502/503/504); the text line shows them only then.
/// grpc_status is the gRPC outcome of a gRPC response (null otherwise): a gRPC error is an HTTP 200, so the status alone hides it.
/// </summary>
internal sealed class AccessLogLine(
    string time, string method, string route, string path, int status, string statusClass, string origin, string destination,
    double durationMs, double? upstreamMs, int retries, long? bytes, string client, string traceId, string? spanId,
    string? error = null, string? reason = null, string? grpcStatus = null) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Template =
        "{Time} {Method} {Route} {Path} {Status} {StatusClass} {Origin} dest={Destination} {DurationMs}ms upstream={UpstreamMs} retries={Retries} bytes={Bytes} client={Client} trace={trace_id} span={span_id} error={Error} reason={Reason} grpc_status={grpc_status}";

    public static readonly Func<AccessLogLine, Exception?, string> Format = (line, _) => line.ToString();

    public int Count => 19;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Time", time),
        1 => new("Method", method),
        2 => new("Route", route),
        3 => new("Path", path),
        4 => new("Status", status),
        5 => new("StatusClass", statusClass),
        6 => new("Origin", origin),
        7 => new("Destination", destination),
        8 => new("DurationMs", durationMs),
        9 => new("UpstreamMs", upstreamMs),
        10 => new("Retries", retries),
        11 => new("Bytes", bytes),
        12 => new("Client", client),
        13 => new("trace_id", traceId),
        14 => new("span_id", spanId),
        15 => new("Error", error),
        16 => new("Reason", reason),
        17 => new("grpc_status", grpcStatus),
        18 => new("{OriginalFormat}", Template),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{time} {method} {route} {path} {status} {statusClass} {origin} dest={destination} {durationMs}ms upstream={(upstreamMs is { } ms ? ms.ToString(CultureInfo.InvariantCulture) + "ms" : "-")} retries={retries} bytes={bytes?.ToString(CultureInfo.InvariantCulture) ?? "-"} client={client} trace={traceId} span={spanId ?? "-"}{(error is null ? "" : $" error={error} reason=\"{reason}\"")}{(grpcStatus is null ? "" : $" grpc_status={grpcStatus}")}");
}
