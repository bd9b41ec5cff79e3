using Microsoft.AspNetCore.Http;

namespace Gateway.Hosting;

/// <summary>Set on each connection by the listener that accepted it; Kestrel exposes connection features on the request.</summary>
internal sealed class ListenerFeature
{
    private ListenerFeature(GatewayListener listener) => Listener = listener;

    public static ListenerFeature Public { get; } = new(GatewayListener.Public);

    public static ListenerFeature Admin { get; } = new(GatewayListener.Admin);

    public GatewayListener Listener { get; }

    public static GatewayListener Of(HttpContext context) =>
        context.Features.Get<ListenerFeature>()?.Listener ?? GatewayListener.Public;
}
