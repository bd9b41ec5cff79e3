using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;

namespace Gateway.Hosting;

/// <summary>
/// The public (8080; over TLS optionally, 8443) and admin (8081) listeners. Which one accepted a connection is decided
/// by the socket, never by the Host header, so the admin API can't be reached through the public port.
/// </summary>
public sealed class GatewayListeners
{
    private const string UrlsSection = $"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Urls)}";

    private readonly List<(BindingAddress Address, ListenOptions Options)> _bound = [];

    private readonly List<string> _problems;

    private readonly CleartextProtocol _publicProtocol;

    internal GatewayListeners(IConfiguration configuration)
    {
        // GatewayOptions.Urls, read before the host is built (Kestrel's listeners are fixed then); strings only, so binding cannot fail.
        var urls = configuration.GetSection(UrlsSection).Get<GatewayUrls>() ?? new GatewayUrls();
        _problems = urls.Problems().Select(problem => $"{UrlsSection}:{problem}").ToList();
        // A URL that cannot be bound is the config check's error (GatewayOptions); until then it reads as the default.
        var defaults = new GatewayUrls();
        PublicAddress = BindingAddress.Parse(_problems.Count == 0 ? urls.Public : defaults.Public);
        AdminAddress = BindingAddress.Parse(_problems.Count == 0 ? urls.Admin : defaults.Admin);
        PublicTlsAddress = _problems.Count == 0 && urls.HasPublicTls ? BindingAddress.Parse(urls.PublicTls) : null;
        // A value that is not a protocol is the config check's error too.
        _ = Enum.TryParse(configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Protocols)}:{nameof(GatewayProtocols.Public)}"], true, out _publicProtocol);
        Certificate = new ServerCertificate(configuration);
        UsesTls = PublicTlsAddress is not null || IsHttps(AdminAddress);
        if (UsesTls)
        {
            // Files that cannot serve are the config check's error (ValidateGatewayConfig, before the server starts);
            // Kestrel's options are made at Build, earlier, so a missing certificate is not thrown here.
            Certificate.Reload(DateTimeOffset.UtcNow);
        }
    }

    public BindingAddress PublicAddress { get; }

    /// <summary>The public listener over TLS, or null when <c>Gateway:Urls:PublicTls</c> is empty.</summary>
    public BindingAddress? PublicTlsAddress { get; }

    public BindingAddress AdminAddress { get; }

    public ServerCertificate Certificate { get; }

    public bool UsesTls { get; }

    /// <summary>The public base URL once started (with the real port when 0 was asked for).</summary>
    public Uri PublicUrl => Url(PublicAddress);

    /// <summary>The public TLS base URL once started, or null.</summary>
    public Uri? PublicTlsUrl => PublicTlsAddress is { } address ? Url(address) : null;

    public Uri AdminUrl => Url(AdminAddress);

    internal void Configure(KestrelServerOptions kestrel)
    {
        if (_problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", _problems));
        }

        Listen(kestrel, PublicAddress, ListenerFeature.Public, _publicProtocol == CleartextProtocol.Http2 ? HttpProtocols.Http2 : HttpProtocols.Http1);
        if (PublicTlsAddress is { } tls)
        {
            Listen(kestrel, tls, ListenerFeature.Public, HttpProtocols.Http1AndHttp2);
        }

        Listen(kestrel, AdminAddress, ListenerFeature.Admin, IsHttps(AdminAddress) ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1);
    }

    private void Listen(KestrelServerOptions kestrel, BindingAddress address, ListenerFeature feature, HttpProtocols protocols)
    {
        void Tag(ListenOptions options)
        {
            options.Protocols = protocols;
            options.Use(next => connection =>
            {
                connection.Features.Set(feature);
                return next(connection);
            });
            if (IsHttps(address))
            {
                // ALPN offers h2 and http/1.1 (Protocols); the certificate is chosen per handshake, so a rotated one serves new connections.
                options.UseHttps(new HttpsConnectionAdapterOptions
                {
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ServerCertificateSelector = (_, _) => Certificate.Current,
                });
            }

            _bound.Add((address, options));
        }

        if (GatewayUrls.IsLocalhost(address.Host))
        {
            kestrel.ListenLocalhost(address.Port, Tag);
        }
        else if (GatewayUrls.IsAny(address.Host))
        {
            kestrel.ListenAnyIP(address.Port, Tag);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(address.Host), address.Port, Tag);
        }
    }

    private static bool IsHttps(BindingAddress address) => string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);

    private Uri Url(BindingAddress address)
    {
        if (address.Port != 0)
        {
            return new Uri($"{address.Scheme}://{address.Host}:{address.Port}/");
        }

        var bound = _bound.First(entry => ReferenceEquals(entry.Address, address));
        return new Uri($"{address.Scheme}://{bound.Options.IPEndPoint!.Address}:{bound.Options.IPEndPoint.Port}/");
    }
}
