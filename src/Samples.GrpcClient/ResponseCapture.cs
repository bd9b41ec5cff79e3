namespace Samples.GrpcClient;

/// <summary>Keeps the HTTP response under the gRPC call, so its status line, headers and raw trailers can be shown.</summary>
public sealed class ResponseCapture : DelegatingHandler
{
    public ResponseCapture(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>The last response; null while none came (connection refused, deadline before the headers).</summary>
    public HttpResponseMessage? Response { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Response = response;
        return response;
    }
}
