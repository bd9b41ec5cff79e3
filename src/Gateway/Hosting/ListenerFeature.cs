using Microsoft.AspNetCore.Http;

namespace Gateway.Hosting;

/// <summary>Set on each connection by the listener that accepted it; Kestrel exposes connection features on the request.</summary>
internal sealed class ListenerFeature
{
    private ListenerFeature(GatewayListener listener) => Listener = listener;

    public static ListenerFeature Public { get; } = new(GatewayListener.Public);

    public static ListenerFeature Admin { get; } = new(GatewayListener.Admin);

    public GatewayListener Listener { get; }

    /// <summary>
    /// Asked several times per request. Kestrel finds a feature type it does not know only after testing every one it
    /// does, on the request and then on the connection (thousands of instructions, bench/instructions/attribute.py), so
    /// the answer is kept in the request's items (a dictionary) after the first lookup.
    /// </summary>
    public static GatewayListener Of(HttpContext context)
    {
        var items = context.Items;
        if (items.TryGetValue(ItemKey, out var known) && known is GatewayListener listener)
        {
            return listener;
        }

        listener = context.Features.Get<ListenerFeature>()?.Listener ?? GatewayListener.Public;
        items[ItemKey] = listener == GatewayListener.Admin ? AdminItem : PublicItem;
        return listener;
    }

    private static readonly object ItemKey = new();
    private static readonly object PublicItem = GatewayListener.Public;
    private static readonly object AdminItem = GatewayListener.Admin;
}
