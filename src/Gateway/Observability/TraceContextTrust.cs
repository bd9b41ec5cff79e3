namespace Gateway.Observability;

/// <summary>Whose <c>traceparent</c>, <c>tracestate</c> and <c>baggage</c> the gateway's server span continues.</summary>
public enum TraceContextTrust
{
    /// <summary>No client's: every request starts a trace of its own.</summary>
    Never,

    /// <summary>Only a peer listed in <c>Gateway:TrustedProxies</c> (the default).</summary>
    TrustedProxies,

    /// <summary>Any client's: for a gateway reached only through a trusted edge that cleans these headers itself.</summary>
    Always,
}
