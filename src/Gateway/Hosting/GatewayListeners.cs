using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Gateway.Hosting;

/// <summary>
/// The public (8080) and admin (8081) listeners. Which one accepted a connection is decided by the
/// socket, never by the Host header, so the admin API can't be reached through the public port.
/// </summary>
public sealed class GatewayListeners
{
    private const string UrlsSection = $"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Urls)}";

    private readonly List<(GatewayListener Listener, ListenOptions Options, string Scheme)> _bound = [];

    internal GatewayListeners(IConfiguration configuration)
    {
        // GatewayOptions.Urls, read before the host is built (Kestrel's listeners are fixed then); strings only, so binding cannot fail.
        var urls = configuration.GetSection(UrlsSection).Get<GatewayUrls>() ?? new GatewayUrls();
        PublicAddress = BindingAddress.Parse(urls.Public);
        AdminAddress = BindingAddress.Parse(urls.Admin);
    }

    public BindingAddress PublicAddress { get; }

    public BindingAddress AdminAddress { get; }

    /// <summary>The public base URL once started (with the real port when 0 was asked for).</summary>
    public Uri PublicUrl => Url(GatewayListener.Public);

    public Uri AdminUrl => Url(GatewayListener.Admin);

    internal void Configure(KestrelServerOptions kestrel)
    {
        Listen(kestrel, PublicAddress, GatewayListener.Public);
        Listen(kestrel, AdminAddress, GatewayListener.Admin);
    }

    private void Listen(KestrelServerOptions kestrel, BindingAddress address, GatewayListener listener)
    {
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{address} : only http:// listeners are supported; terminate TLS in front of the gateway.");
        }

        var feature = listener == GatewayListener.Admin ? ListenerFeature.Admin : ListenerFeature.Public;
        void Tag(ListenOptions options)
        {
            options.Use(next => connection =>
            {
                connection.Features.Set(feature);
                return next(connection);
            });
            _bound.Add((listener, options, address.Scheme));
        }

        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, Tag);
        }
        else if (address.Host is "*" or "+" or "0.0.0.0")
        {
            kestrel.ListenAnyIP(address.Port, Tag);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(address.Host), address.Port, Tag);
        }
    }

    private Uri Url(GatewayListener listener)
    {
        var address = listener == GatewayListener.Admin ? AdminAddress : PublicAddress;
        if (address.Port != 0)
        {
            return new Uri($"{address.Scheme}://{address.Host}:{address.Port}/");
        }

        var bound = _bound.First(entry => entry.Listener == listener);
        return new Uri($"{bound.Scheme}://{bound.Options.IPEndPoint!.Address}:{bound.Options.IPEndPoint.Port}/");
    }
}
