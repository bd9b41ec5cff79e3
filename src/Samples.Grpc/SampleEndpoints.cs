using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Samples.Grpc;

/// <summary>The sample's listeners, so a caller that asked for port 0 can learn which port is gRPC and which is health.</summary>
public sealed class SampleEndpoints
{
    private readonly List<ListenOptions> _grpc = [];
    private readonly List<ListenOptions> _health = [];

    /// <summary>The h2c (HTTP/2 prior knowledge) listeners, once the app has started.</summary>
    public IReadOnlyList<Uri> GrpcUrls => UrlsOf(_grpc);

    /// <summary>The HTTP/1.1 listeners that serve only /healthz, once the app has started.</summary>
    public IReadOnlyList<Uri> HealthUrls => UrlsOf(_health);

    internal void AddGrpc(ListenOptions listen) => _grpc.Add(listen);

    internal void AddHealth(ListenOptions listen) => _health.Add(listen);

    // Kestrel writes the bound end point back into each ListenOptions at bind (port 0 becomes the real port);
    // GrpcSampleTests start the sample on port 0 and fail if that stops being so.
    private static List<Uri> UrlsOf(List<ListenOptions> listens) =>
        [.. listens.Select(listen => listen.IPEndPoint is { } endPoint
            ? new Uri($"http://{endPoint}")
            : throw new InvalidOperationException($"{listen} is not an IP end point."))];
}
