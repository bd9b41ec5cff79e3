using System.Text.Json;
using Gateway.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Gateway.Tests.Observability;

/// <summary>The access-log line through .NET's own JSON console formatter (Logging:Console:FormatterName=json).</summary>
public sealed class AccessLogJsonTests
{
    [Fact]
    public void The_json_line_names_the_trace_fields_as_the_OpenTelemetry_log_data_model_does()
    {
        var state = WrittenState(new AccessLogLine("t", "GET", "chaos", "/chaos/slow", 504, "5xx", "timeout", "chaos-1", 2001.5, 2000.1, 0, 120, "c",
            "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"));

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", state.GetProperty("trace_id").GetString());
        Assert.Equal("00f067aa0ba902b7", state.GetProperty("span_id").GetString());
        Assert.False(state.TryGetProperty("TraceId", out _));
        Assert.Equal(JsonValueKind.Number, state.GetProperty("UpstreamMs").ValueKind);
    }

    [Fact]
    public void A_line_without_a_span_writes_a_null_span_id()
    {
        var state = WrittenState(new AccessLogLine("t", "GET", "none", "/", 404, "4xx", "no_route", "-", 0.1, null, 0, 10, "c", "0HN7", null));

        Assert.Equal(JsonValueKind.Null, state.GetProperty("span_id").ValueKind);
    }

    [Fact]
    public void A_grpc_line_writes_its_grpc_status_and_any_other_line_a_null_one()
    {
        var grpc = WrittenState(new AccessLogLine("t", "POST", "grpc", "/samples.v1.Sample/Get", 200, "2xx", "upstream", "grpc-1", 3, 2.5, 0, 0, "c", "0HN7", null,
            grpcStatus: "NOT_FOUND"));
        var http = WrittenState(new AccessLogLine("t", "GET", "none", "/", 404, "4xx", "no_route", "-", 0.1, null, 0, 10, "c", "0HN7", null));

        Assert.Equal("NOT_FOUND", grpc.GetProperty("grpc_status").GetString());
        Assert.Equal(JsonValueKind.Null, http.GetProperty("grpc_status").ValueKind);
    }

    private static JsonElement WrittenState(AccessLogLine line)
    {
        using var services = new ServiceCollection().AddLogging(logging => logging.AddJsonConsole()).BuildServiceProvider();
        var json = services.GetServices<ConsoleFormatter>().Single(formatter => formatter.Name == ConsoleFormatterNames.Json);
        using var output = new StringWriter();
        json.Write(new LogEntry<AccessLogLine>(LogLevel.Information, "Gateway.AccessLog", default, line, null, AccessLogLine.Format),
            null, output);
        using var written = JsonDocument.Parse(output.ToString());
        return written.RootElement.GetProperty("State").Clone();
    }
}
