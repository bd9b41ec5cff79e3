namespace Gateway.Observability;

/// <summary>How often this request was sent again upstream (set by Forwarding/RetryMiddleware, read by the access log).</summary>
public sealed class UpstreamRetryFeature
{
    public int Retries { get; set; }
}
