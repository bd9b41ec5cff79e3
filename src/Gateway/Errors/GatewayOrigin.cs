namespace Gateway.Errors;

/// <summary>Who decided a response's status. Metrics, logs and the status page read it to tell a gateway-made 503 from an upstream's.</summary>
public enum GatewayOrigin
{
    Upstream,
    RateLimit,
    Maintenance,
    Timeout,
    Unreachable,
    NoHealthy,
    Auth,
    Limits,
    NoRoute,
    Gateway,

    /// <summary>The client went away before the answer (recorded as 499, as nginx does; nobody received it).</summary>
    Client,

    /// <summary>Shed by a concurrency limit (503): the gateway or a cluster had as many requests in progress as it may.</summary>
    Overload,

    /// <summary>A redirect rule of the gateway answered (301/302/307/308 with Location), without an upstream.</summary>
    Redirect,

    /// <summary>The gateway's output cache answered (a 200 hit, or a 304 for a matching If-None-Match), without an upstream.</summary>
    Cache,

    /// <summary>The admin API refused a client address that sent too many wrong admin keys (429, admin port only).</summary>
    Admin,
}
