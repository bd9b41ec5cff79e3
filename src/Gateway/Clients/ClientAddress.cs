using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Clients;

/// <summary>
/// The client's IP as rate limits and allow-lists see it: the socket's peer, or, when that peer is a
/// trusted proxy, the right-most address in <c>X-Forwarded-For</c> that is not itself a trusted proxy
/// (left-most entries are whatever the client chose to write).
/// </summary>
public sealed class ClientAddress : IDisposable
{
    private readonly IDisposable? _subscription;
    private readonly ApiKeys _keys;
    private volatile List<IPNetwork> _trusted;

    public ClientAddress(IOptionsMonitor<GatewayOptions> options, ApiKeys keys)
    {
        _keys = keys;
        _trusted = ParseNetworks(options.CurrentValue.TrustedProxies);
        _subscription = options.OnChange(changed => _trusted = ParseNetworks(changed.TrustedProxies));
    }

    /// <summary>Whether the socket's peer is one of the trusted proxies (whose client-IP headers may be believed).</summary>
    public bool PeerIsTrusted(HttpContext context)
    {
        var trusted = _trusted;
        return trusted.Count > 0 && Normalize(context.Connection.RemoteIpAddress) is { } peer && IsTrusted(peer, trusted);
    }

    public IPAddress? Resolve(HttpContext context)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress);
        var trusted = _trusted;
        if (peer is null || trusted.Count == 0 || !IsTrusted(peer, trusted))
        {
            return peer;
        }

        var hops = context.Request.Headers["X-Forwarded-For"]
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        var client = peer;
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                return client; // A malformed hop ends what can be believed.
            }

            client = Normalize(hop)!;
            if (!IsTrusted(client, trusted))
            {
                return client;
            }
        }

        return client;
    }

    /// <summary>Parses IPs ("10.0.0.1") and networks ("10.0.0.0/8"); null entries are reported by <see cref="Invalid"/>.</summary>
    public static List<IPNetwork> ParseNetworks(IEnumerable<string> entries) =>
        entries.Select(TryParseNetwork).OfType<IPNetwork>().ToList();

    public static IEnumerable<string> Invalid(IEnumerable<string> entries) =>
        entries.Where(entry => TryParseNetwork(entry) is null);

    public static bool IsTrusted(IPAddress address, List<IPNetwork> networks) =>
        networks.Exists(network => network.Contains(address));

    /// <summary>
    /// Who the client is, for rate limits: the token's subject, else the name of a configured API key (an invented key
    /// names nobody, so it cannot buy a quota of its own), else the client IP.
    /// </summary>
    public string ClientKey(HttpContext context)
    {
        // Read the feature, not HttpContext.User, which makes an empty principal for every unauthenticated request.
        var user = context.Features.Get<IHttpAuthenticationFeature>()?.User;
        if (user?.Identity?.IsAuthenticated == true && user.FindFirst("sub")?.Value is { Length: > 0 } subject)
        {
            return "sub:" + subject;
        }

        if (_keys.Identify(context) is { } client)
        {
            return "key:" + client;
        }

        return "ip:" + (Resolve(context)?.ToString() ?? "unknown");
    }

    /// <summary>
    /// The client in a log line: a configured key's client by name (a name from the config, not personal data), anyone
    /// else as the first 8 bytes of the SHA-256 of <see cref="ClientKey"/> (addresses and subjects are not written).
    /// </summary>
    public string ClientLabel(HttpContext context)
    {
        var key = ClientKey(context);
        return key.StartsWith("key:", StringComparison.Ordinal)
            ? key
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 8);
    }

    public void Dispose() => _subscription?.Dispose();

    private static IPNetwork? TryParseNetwork(string entry)
    {
        if (IPNetwork.TryParse(entry, out var network))
        {
            return network;
        }

        if (!IPAddress.TryParse(entry, out var single))
        {
            return null;
        }

        // The prefix of the address as normalized: "::ffff:10.1.2.3" becomes 10.1.2.3, a /32, not a /128.
        var address = Normalize(single)!;
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
