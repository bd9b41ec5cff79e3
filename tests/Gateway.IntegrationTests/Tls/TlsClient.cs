using System.Net;
using System.Net.Security;
using System.Security.Authentication;

namespace Gateway.IntegrationTests.Tls;

/// <summary>A client on a new connection per call (a new TLS handshake) that accepts any certificate and says which it was shown.</summary>
internal static class TlsClient
{
    public static async Task<(HttpResponseMessage Response, string Thumbprint)> GetAsync(Uri url, Version version, HttpVersionPolicy policy = HttpVersionPolicy.RequestVersionOrLower, SslProtocols protocols = SslProtocols.None)
    {
        string? thumbprint = null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    // Any certificate: the tests ask which one the gateway presented, not whether this machine trusts it.
                    thumbprint = certificate?.GetCertHashString();
                    return certificate is not null;
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = version, VersionPolicy = policy };
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, thumbprint!);
    }

    public static async Task<string> ThumbprintAsync(Uri url)
    {
        var (response, thumbprint) = await GetAsync(new Uri(url, "/api/users/1"), HttpVersion.Version20);
        response.Dispose();
        return thumbprint;
    }
}
