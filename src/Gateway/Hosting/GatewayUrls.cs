using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.Hosting;

/// <summary><c>Gateway:Urls</c>: where the two listeners bind (read at start; an edit is checked, and applies at the next start).</summary>
public sealed class GatewayUrls
{
    public string Public { get; init; } = "http://localhost:8080";

    public string Admin { get; init; } = "http://localhost:8081";

    /// <summary>Each URL Kestrel could not listen on, as "Public: ..." (the key below <c>Gateway:Urls</c>).</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (key, url) in new[] { (nameof(Public), Public), (nameof(Admin), Admin) })
        {
            if (Problem(url) is { } problem)
            {
                yield return $"{key}: {problem}";
            }
        }
    }

    private static string? Problem(string url)
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

        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{url}': only http:// listeners are supported; terminate TLS in front of the gateway";
        }

        return IsAnyOrLocalhost(address.Host) || IPAddress.TryParse(address.Host, out _)
            ? null
            : $"'{address.Host}' is not localhost, an IP address, '*', '+' or 0.0.0.0";
    }

    internal static bool IsLocalhost(string host) => string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);

    internal static bool IsAny(string host) => host is "*" or "+" or "0.0.0.0";

    private static bool IsAnyOrLocalhost(string host) => IsLocalhost(host) || IsAny(host);
}
