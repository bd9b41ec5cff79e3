namespace Gateway.Observability;

/// <summary>Set by the proxy pipeline when it hands the request to the forwarder; ResponseRecorder stops the clock.</summary>
internal sealed class UpstreamTimingFeature
{
    public long Started { get; init; }

    /// <summary>Known once the response is recorded; null when no upstream was contacted.</summary>
    public TimeSpan? Elapsed { get; set; }
}
