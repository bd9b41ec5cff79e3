using System.Net;
using System.Security.Claims;
using Gateway.Clients;
using Gateway.Hosting;
using Gateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Clients;

public sealed class ClientAddressTests
{
    private static readonly string[] Proxies = ["10.0.0.0/8", "192.168.1.5"];

    [Theory]
    [InlineData("203.0.113.7", "198.51.100.1", "203.0.113.7")] // The peer is not a proxy: its header is the client's own writing.
    [InlineData("10.0.0.1", null, "10.0.0.1")]
    [InlineData("10.0.0.1", "198.51.100.1", "198.51.100.1")]
    [InlineData("192.168.1.5", "198.51.100.1", "198.51.100.1")]
    [InlineData("192.168.1.6", "198.51.100.1", "192.168.1.6")] // A single trusted IP is a /32, not its neighbours.
    [InlineData("10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1")] // Left-most entries are whatever the client wrote.
    [InlineData("10.0.0.1", "198.51.100.1, 10.0.0.2, 10.9.9.9", "198.51.100.1")] // Trusted hops are walked through.
    [InlineData("10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3")] // Every hop trusted: the farthest one.
    [InlineData("10.0.0.1", "198.51.100.1, not-an-ip", "10.0.0.1")] // A malformed hop ends what can be believed.
    [InlineData("10.0.0.1", "not-an-ip, 10.0.0.2", "10.0.0.2")]
    [InlineData("10.0.0.1", "198.51.100.1:4711", "10.0.0.1")] // An IPv4 hop with a port is not an address.
    [InlineData("10.0.0.1", " , 198.51.100.1 ,, ", "198.51.100.1")] // Empty entries and spaces are skipped.
    [InlineData("10.0.0.1", "::ffff:198.51.100.1", "198.51.100.1")] // Mapped addresses are reported as IPv4.
    [InlineData("::ffff:10.0.0.1", "198.51.100.1", "198.51.100.1")] // A dual-stack socket's peer is still the proxy.
    [InlineData("10.0.0.1", "2001:db8::1", "2001:db8::1")]
    public void The_client_is_the_right_most_untrusted_address(string peer, string? forwardedFor, string expected)
    {
        using var clients = Clients(Proxies);
        var context = Request(peer, forwardedFor);

        Assert.Equal(IPAddress.Parse(expected), clients.Resolve(context));
    }

    [Fact]
    public void Several_forwarded_for_headers_read_as_one_list_in_order()
    {
        using var clients = Clients(Proxies);
        var context = Request("10.0.0.1", null);
        context.Request.Headers["X-Forwarded-For"] = new(["198.51.100.1", "198.51.100.2, 10.0.0.2"]);

        Assert.Equal(IPAddress.Parse("198.51.100.2"), clients.Resolve(context));
    }

    [Fact]
    public void Without_trusted_proxies_the_header_is_never_believed()
    {
        using var clients = Clients([]);
        var context = Request("10.0.0.1", "198.51.100.1");

        Assert.Equal(IPAddress.Parse("10.0.0.1"), clients.Resolve(context));
        Assert.False(clients.PeerIsTrusted(context));
    }

    [Fact]
    public void Without_a_peer_there_is_no_address()
    {
        using var clients = Clients(Proxies);
        var context = Request(null, "198.51.100.1");

        Assert.Null(clients.Resolve(context));
        Assert.False(clients.PeerIsTrusted(context));
        Assert.Equal("ip:unknown", clients.ClientKey(context));
    }

    [Fact]
    public void A_changed_proxy_list_applies_to_the_next_request()
    {
        var options = new TestOptionsMonitor<GatewayOptions>(new() { TrustedProxies = [] });
        using var clients = new ClientAddress(options, Keys());
        var context = Request("10.0.0.1", "198.51.100.1");
        Assert.Equal(IPAddress.Parse("10.0.0.1"), clients.Resolve(context));

        options.Set(new() { TrustedProxies = ["10.0.0.1"] });

        Assert.Equal(IPAddress.Parse("198.51.100.1"), clients.Resolve(context));
        Assert.True(clients.PeerIsTrusted(context));
    }

    [Fact]
    public void After_dispose_a_changed_list_is_no_longer_followed()
    {
        var options = new TestOptionsMonitor<GatewayOptions>(new() { TrustedProxies = [] });
        var clients = new ClientAddress(options, Keys());
        clients.Dispose();

        options.Set(new() { TrustedProxies = ["10.0.0.1"] });

        Assert.False(clients.PeerIsTrusted(Request("10.0.0.1", null)));
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:10.1.2.3", true)] // A single mapped address is its IPv4 /32 (it once threw).
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.1/8", true)] // Taken as 10.0.0.0/8.
    [InlineData("proxy.internal", false)]
    [InlineData("", false)]
    public void Entries_are_ips_or_cidr_networks(string entry, bool valid)
    {
        Assert.Equal(valid, !ClientAddress.Invalid([entry]).Any());
        Assert.Equal(valid ? 1 : 0, ClientAddress.ParseNetworks([entry]).Count);
    }

    [Fact]
    public void A_mapped_single_address_trusts_that_proxy_however_it_connects()
    {
        using var clients = Clients(["::ffff:10.1.2.3"]);

        Assert.True(clients.PeerIsTrusted(Request("10.1.2.3", null)));
        Assert.True(clients.PeerIsTrusted(Request("::ffff:10.1.2.3", null)));
        Assert.False(clients.PeerIsTrusted(Request("10.1.2.4", null)));
    }

    [Fact]
    public void An_authenticated_subject_identifies_the_client_before_a_key_or_address()
    {
        using var clients = Clients(Proxies);
        var context = Request("10.0.0.1", "198.51.100.1");
        context.Request.Headers["X-Api-Key"] = "secret";
        context.User = User(authenticated: true, ("sub", "alice"));

        Assert.Equal("sub:alice", clients.ClientKey(context));
    }

    [Theory]
    [InlineData(false, "alice")] // A token that was not accepted names nobody.
    [InlineData(true, "")]
    [InlineData(true, null)]
    public void Without_a_usable_subject_a_configured_api_key_identifies_the_client_by_name(bool authenticated, string? subject)
    {
        using var clients = Clients(Proxies);
        var context = Request("10.0.0.1", "198.51.100.1");
        context.Request.Headers["X-Api-Key"] = "secret";
        context.User = subject is null ? User(authenticated, ("name", "alice")) : User(authenticated, ("sub", subject));

        Assert.Equal("key:partner", clients.ClientKey(context));
        Assert.Equal("key:partner", clients.ClientLabel(context));
    }

    [Theory]
    [InlineData("invented")]
    [InlineData("Secret")] // The digest is of the exact bytes.
    [InlineData("secret ")]
    public void A_key_that_is_not_configured_names_nobody_and_the_address_counts(string key)
    {
        using var clients = Clients(Proxies);
        var context = Request("10.0.0.1", "198.51.100.1");
        context.Request.Headers["X-Api-Key"] = key;

        Assert.Equal("ip:198.51.100.1", clients.ClientKey(context));
        // An address is not written to logs: its label is a digest.
        Assert.Matches("^[0-9a-f]{16}$", clients.ClientLabel(context));
    }

    [Theory]
    [InlineData("10.0.0.1", "198.51.100.1", "ip:198.51.100.1")]
    [InlineData("203.0.113.7", "198.51.100.1", "ip:203.0.113.7")]
    public void Without_subject_or_key_the_resolved_address_identifies_the_client(string peer, string forwardedFor, string expected)
    {
        using var clients = Clients(Proxies);
        var context = Request(peer, forwardedFor);
        context.Request.Headers["X-Api-Key"] = "";

        Assert.Equal(expected, clients.ClientKey(context));
    }

    private static ClientAddress Clients(string[] proxies) =>
        new(new TestOptionsMonitor<GatewayOptions>(new() { TrustedProxies = [.. proxies] }), Keys());

    /// <summary>One configured client, "partner", whose key is "secret".</summary>
    private static ApiKeys Keys() => new(new TestOptionsMonitor<ClientsOptions>(new()
    {
        ApiKeys = { ["partner"] = new() { Sha256 = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b" } },
    }));

    private static DefaultHttpContext Request(string? peer, string? forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = peer is null ? null : IPAddress.Parse(peer);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return context;
    }

    private static ClaimsPrincipal User(bool authenticated, params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), authenticated ? "Bearer" : null));
}
