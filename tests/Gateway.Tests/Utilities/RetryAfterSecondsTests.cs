using Gateway.Utilities;

namespace Gateway.Tests.Utilities;

public sealed class RetryAfterSecondsTests
{
    [Theory]
    [InlineData(0, 1)] // never "0": that invites an immediate retry
    [InlineData(1, 1)]
    [InlineData(999, 1)]
    [InlineData(1000, 1)]
    [InlineData(1001, 2)] // rounded up: a client that waits the figure is never early
    [InlineData(119_500, 120)]
    [InlineData(-5000, 1)]
    public void A_wait_becomes_whole_seconds_rounded_up_and_at_least_one(int milliseconds, int expected)
    {
        Assert.Equal(expected, RetryAfterSeconds.Of(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), RetryAfterSeconds.Text(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void A_wait_longer_than_int_seconds_is_clamped_not_negative()
    {
        Assert.Equal(int.MaxValue, RetryAfterSeconds.Of(TimeSpan.MaxValue));
    }
}
