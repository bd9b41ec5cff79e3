using System.Globalization;
using Gateway.Observability;

namespace Gateway.Tests.Observability;

public sealed class AccessLogLineTests
{
    [Fact]
    public void A_gateway_made_answer_prints_a_dash_for_the_upstream_time_and_keeps_the_field_null()
    {
        var line = new AccessLogLine("t", "GET", "users-api", "/api/users", 503, "5xx", "maintenance", "-", 0.4, null, 0, null, "c", "trace", null);

        Assert.Equal("t GET users-api /api/users 503 5xx maintenance dest=- 0.4ms upstream=- retries=0 bytes=- client=c trace=trace span=-", line.ToString());
        Assert.Null(line.Single(field => field.Key == "UpstreamMs").Value);
        Assert.Null(line.Single(field => field.Key == "Bytes").Value);
    }

    [Fact]
    public void A_proxied_answer_keeps_numbers_as_numbers_and_prints_them_invariantly()
    {
        var previous = CultureInfo.CurrentCulture;
        var decimalComma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        decimalComma.NumberFormat.NumberDecimalSeparator = ","; // as de-DE; culture data may be absent (invariant globalization)
        CultureInfo.CurrentCulture = decimalComma;
        try
        {
            var line = new AccessLogLine("t", "GET", "users-api", "/api/users", 200, "2xx", "upstream", "users-1", 12.5, 11.25, 1, 1024, "c", "trace", "span");

            Assert.Equal("t GET users-api /api/users 200 2xx upstream dest=users-1 12.5ms upstream=11.25ms retries=1 bytes=1024 client=c trace=trace span=span", line.ToString());
            Assert.Equal(11.25, line.Single(field => field.Key == "UpstreamMs").Value);
            Assert.Equal(1024L, line.Single(field => field.Key == "Bytes").Value);
            Assert.Equal(AccessLogLine.Template, line.Single(field => field.Key == "{OriginalFormat}").Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_grpc_line_ends_with_its_grpc_status()
    {
        var line = new AccessLogLine("t", "POST", "none", "/other.v1.Other/Get", 200, "2xx", "no_route", "-", 0.2, null, 0, 0, "c", "trace", null, grpcStatus: "UNIMPLEMENTED");

        Assert.Equal("t POST none /other.v1.Other/Get 200 2xx no_route dest=- 0.2ms upstream=- retries=0 bytes=0 client=c trace=trace span=- grpc_status=UNIMPLEMENTED", line.ToString());
        Assert.Equal("UNIMPLEMENTED", line.Single(field => field.Key == "grpc_status").Value);
    }
}
