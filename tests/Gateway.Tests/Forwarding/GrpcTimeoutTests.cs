using Gateway.Forwarding;

namespace Gateway.Tests.Forwarding;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3_600_000.0)]
    [InlineData("2M", 120_000.0)]
    [InlineData("3S", 3_000.0)]
    [InlineData("250m", 250.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("99999999n", 100.0)]
    [InlineData("00000010m", 10.0)]
    public void A_valid_value_is_its_duration(string value, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GrpcTimeout.Parse(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    [InlineData("123456789S")] // 9 digits
    [InlineData("99999999H")] // beyond what a timer can time
    public void An_invalid_value_is_ignored(string? value) => Assert.Null(GrpcTimeout.Parse(value));
}
