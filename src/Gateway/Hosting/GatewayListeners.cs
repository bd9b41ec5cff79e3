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

    private readonly List<string> _problems;

    internal GatewayListeners(IConfiguration configuration)
    {
        // GatewayOptions.Urls, read before the host is built (Kestrel's listeners are fixed then); strings only, so binding cannot fail.
        var urls = configuration.GetSection(UrlsSection).Get<GatewayUrls>() ?? new GatewayUrls();
        _problems = urls.Problems().Select(problem => $"{UrlsSection}:{problem}").ToList();
        // A URL that cannot be bound is the config check's error (GatewayOptions); until then it reads as the default.
        var defaults = new GatewayUrls();
        PublicAddress = BindingAddress.Parse(_problems.Count == 0 ? urls.Public : defaults.Public);
        AdminAddress = BindingAddress.Parse(_problems.Count == 0 ? urls.Admin : defaults.Admin);
    }

    public BindingAddress PublicAddress { get; }

    public BindingAddress AdminAddress { get; }

    /// <summary>The public base URL once started (with the real port when 0 was asked for).</summary>
    public Uri PublicUrl => Url(GatewayListener.Public);

    public Uri AdminUrl => Url(GatewayListener.Admin);

    internal void Configure(KestrelServerOptions kestrel)
    {
        if (_problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", _problems));
        }

        Listen(kestrel, PublicAddress, GatewayListener.Public);
        Listen(kestrel, AdminAddress, GatewayListener.Admin);
    }

    private void Listen(KestrelServerOptions kestrel, BindingAddress address, GatewayListener listener)
    {
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
