using System.Net;
using Gateway.Admin;
using Gateway.Tests.TestSupport;
using Gateway.Utilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Admin;

public sealed class FailedKeyLimiterTests
{
    [Theory]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::ffff:1234", true)] // Same /64: a host picks any address in it.
    [InlineData("2001:db8::1", "2001:db8:0:1::1", false)] // The next /64.
    [InlineData("192.0.2.1", "192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)] // IPv4: each address is a client.
    public void A_client_that_used_its_wrong_keys_is_blocked_with_its_ipv6_64(string guesser, string other, bool blocked)
    {
        var settings = new TestOptionsMonitor<AdminOptions>(new() { FailedKeyLimit = new() { PermitLimit = 3, Window = TimeSpan.FromMinutes(1) } });
        using var limiter = new FailedKeyLimiter(settings, new MetricsRegistry(), NullLogger<FailedKeyLimiter>.Instance);
        var from = IPAddress.Parse(guesser);

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(limiter.Failed(from)));

        Assert.Equal(TimeSpan.FromMinutes(1), limiter.Blocked(from));
        Assert.Equal(blocked, limiter.Blocked(IPAddress.Parse(other)) is not null);
    }

    [Fact]
    public void An_edited_limit_starts_the_count_anew()
    {
        var settings = new TestOptionsMonitor<AdminOptions>(new() { FailedKeyLimit = new() { PermitLimit = 1 } });
        using var limiter = new FailedKeyLimiter(settings, new MetricsRegistry(), NullLogger<FailedKeyLimiter>.Instance);
        var from = IPAddress.Loopback;
        Assert.Null(limiter.Failed(from));
        Assert.NotNull(limiter.Blocked(from));

        settings.Set(new() { FailedKeyLimit = new() { PermitLimit = 2 } });

        Assert.Null(limiter.Blocked(from));
        Assert.Null(limiter.Failed(from));
        Assert.Null(limiter.Failed(from));
        Assert.NotNull(limiter.Failed(from)); // Over the new limit: refused as blocked.
    }
}
