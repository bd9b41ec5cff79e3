using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.Hosting;

/// <summary><c>Gateway:Urls</c>: where the listeners bind (read at start; an edit is checked, and applies at the next start).</summary>
public sealed class GatewayUrls
{
    public string Public { get; init; } = "http://localhost:8080";

    /// <summary>The public listener over TLS (same pipeline as <see cref="Public"/>), e.g. https://0.0.0.0:8443; empty: none.</summary>
    public string PublicTls { get; init; } = "";

    /// <summary>http:// or https:// (the same certificate as <see cref="PublicTls"/>).</summary>
    public string Admin { get; init; } = "http://localhost:8081";

    public bool HasPublicTls => PublicTls.Length > 0;

    /// <summary>Whether a listener serves TLS, so <c>Gateway:Tls</c> must name a certificate (or demo mode makes one).</summary>
    public bool UsesTls => HasPublicTls || Admin.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each URL Kestrel could not listen on, as "Public: ..." (the key below <c>Gateway:Urls</c>).</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (key, url, schemes) in new[] { (nameof(Public), Public, Http), (nameof(PublicTls), PublicTls, Https), (nameof(Admin), Admin, Either) })
        {
            if ((key != nameof(PublicTls) || HasPublicTls) && Problem(url, schemes) is { } problem)
            {
                yield return $"{key}: {problem}";
            }
        }
    }

    private static readonly string[] Http = ["http"];
    private static readonly string[] Https = ["https"];
    private static readonly string[] Either = ["http", "https"];

    private static string? Problem(string url, string[] schemes)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return $"'{url}' is not a URL such as http://0.0.0.0:8080";
        }

        if (!schemes.Contains(address.Scheme.ToLowerInvariant()))
        {
            return $"'{url}': the scheme must be {string.Join(" or ", schemes)}{(schemes == Http ? $" (https is {nameof(PublicTls)})" : "")}";
        }

        return IsAnyOrLocalhost(address.Host) || IPAddress.TryParse(address.Host, out _)
            ? null
            : $"'{address.Host}' is not localhost, an IP address, '*', '+' or 0.0.0.0";
    }

    internal static bool IsLocalhost(string host) => string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);

    internal static bool IsAny(string host) => host is "*" or "+" or "0.0.0.0";

    private static bool IsAnyOrLocalhost(string host) => IsLocalhost(host) || IsAny(host);
}
