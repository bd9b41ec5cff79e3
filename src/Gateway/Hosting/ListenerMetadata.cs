using Microsoft.AspNetCore.Http;

namespace Gateway.Hosting;

/// <summary>Endpoint metadata: which listener may reach the endpoint. Endpoints without it are public.</summary>
public sealed class ListenerMetadata
{
    private ListenerMetadata(GatewayListener listener) => Listener = listener;

    public static ListenerMetadata Public { get; } = new(GatewayListener.Public);

    public static ListenerMetadata Admin { get; } = new(GatewayListener.Admin);

    /// <summary>Reachable on both listeners (the status-code guide that problem types point to).</summary>
    public static ListenerMetadata Both { get; } = new(GatewayListener.Public) { OnBoth = true };

    public GatewayListener Listener { get; }

    public bool OnBoth { get; private init; }

    /// <summary>Whether a request on <paramref name="listener"/> may reach <paramref name="endpoint"/>.</summary>
    public static bool Reaches(Endpoint endpoint, GatewayListener listener) =>
        endpoint.Metadata.GetMetadata<ListenerMetadata>() is not { } target
            ? listener == GatewayListener.Public
            : target.OnBoth || target.Listener == listener;
}
