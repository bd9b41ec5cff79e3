namespace Gateway.Observability;

/// <summary>
/// A failed forward the gateway answered itself (set by Forwarding/UpstreamFailureMiddleware). The access log puts the
/// failure into the response's line; when it writes no line (off, filtered, sampled out), the middleware logs the failure
/// as a warning instead: each gateway-made 502/503/504 is logged once.
/// </summary>
internal sealed class UpstreamFailureFeature(string error, string reason)
{
    /// <summary>YARP's ForwarderError, as a word (Request, RequestTimedOut, NoAvailableDestinations, ...).</summary>
    public string Error { get; } = error;

    /// <summary>Why, from the exception (already escaped for a log line).</summary>
    public string Reason { get; } = reason;

    /// <summary>Set by the access log once the response's line, with this failure in it, is written.</summary>
    public bool Logged { get; set; }
}
