using Gateway.Admin;
using Gateway.Auth;
using Gateway.Caching;
using Gateway.Clients;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Errors.StatusGuide;
using Gateway.Forwarding;
using Gateway.Hosting;
using Gateway.Limits;
using Gateway.Maintenance;
using Gateway.Observability;
using Gateway.Overload;
using Gateway.RateLimiting;
using Gateway.Redirects;
using Gateway.Routing;
using Gateway.Store;
using Gateway.Utilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway;

/// <summary>The composition root: every feature's services, and the whole pipeline of both listeners, in one file.</summary>
public static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.AddGatewayConfigFile();
        builder.AddGatewayListeners();
        var configuration = builder.Configuration;
        // The one metrics registry; each folder's Add* registers its own instruments in it (its *Metrics class).
        builder.Services.AddSingleton<MetricsRegistry>();
        builder.Services
            .AddGatewayErrors()
            .AddGatewayDemoMode()
            .AddGatewayStore(configuration)
            .AddGatewayClients(configuration)
            .AddGatewayLimits(configuration)
            .AddGatewayRouting()
            .AddGatewayAuth(configuration)
            .AddGatewayMaintenance(configuration)
            .AddGatewayRateLimiting(configuration)
            .AddGatewayCaching(configuration)
            .AddGatewayOverload()
            .AddGatewayForwarding()
            .AddGatewayRedirects()
            .AddGatewayAdmin(configuration)
            .AddGatewayObservability(configuration);
        return builder;
    }

    /// <summary>
    /// The request pipeline, in order. The first step that decides a status wins, so the order is the policy:
    /// maintenance (503) before authorization (401/403), so a route in maintenance says so even without a token;
    /// authorization before rate limiting (429), so a refused token costs no quota; then the proxy. Beside the pipeline,
    /// Store/StoreSync keeps this replica's copy of the shared state (admin changes, the audit, status numbers) current.
    /// <code>
    /// step                          folder          decides (status origin)
    /// ValidateGatewayConfig         Configuration   invalid file: no start; invalid edit: rejected, last good kept
    /// UseGatewayMetrics             Observability   nothing; records every public response once (499 client)
    /// UseProxyStatus                Errors          nothing; writes Proxy-Status on every public response as it starts (final origin, status)
    /// UseGatewayExceptionHandler    Errors          500 gateway
    /// UseRequestTargetCheck         Limits          400 limits (control characters in the target or a header value)
    /// UseAdminNoRouteProblems       Routing         404/405 no_route on the admin port (problem bodies for routing's answers);
    ///                                               every admin answer names its replica (X-Gateway-Replica)
    /// UseGatewayRedirects           Redirects       301/302 (GET, HEAD) or 308/307 (other methods) redirect, Location
    /// UseRouting                    (ASP.NET Core)  the endpoint, per listener (Hosting/ListenerMatcherPolicy)
    /// UseGatewayRequestTimeouts     Routing         route Timeout; the 504 itself is written by UseUpstreamFailures
    /// UseGatewayAuthentication      Auth            nothing; reads a bearer token when one is sent
    /// UseGatewayMaintenance         Maintenance     503 maintenance (Retry-After)
    /// UseGatewayAuthorization       Auth            401/403 auth (WWW-Authenticate); AuthorizationPolicy api-key: Clients, a configured X-Api-Key
    /// UseGatewayRateLimiting        RateLimiting    429 ratelimit (Retry-After); 503 ratelimit when the store is down
    /// UseGatewayCaching             Caching         200 (Age) / 304 cache from a stored answer, on routes with OutputCachePolicy "shared"
    /// endpoints: admin API          Admin, Maintenance, RateLimiting: 401/403 admin key, 400/413/422 bad admin bodies,
    ///                               503 gateway for a change while the shared store (Store) is unreachable
    ///            status guide       Errors/StatusGuide: the pages every problem's type links to
    ///            (BuildFixedEndpointsOnce, Hosting: the endpoints above are built once, not again at every reload)
    ///            proxy pipeline:
    ///              UseOverloadShedding    Overload       503 overload (Retry-After): a concurrency limit of the gateway or cluster is full
    ///              UseUpstreamFailures    Forwarding     502 unreachable, 503 no_healthy, 504 timeout, 400 gateway (body unreadable);
    ///                                                     413/408 limits for a body that failed mid-read (decided in Limits)
    ///              UseGrpcDeadline        Forwarding     nothing itself; a call's grpc-timeout cancels the upstream request (504 timeout above)
    ///              UseRequestBodyLimit    Limits         413 limits
    ///              UseUpstreamTiming      Observability  nothing; times the upstream for metrics and the access log
    ///              session affinity (YARP)
    ///              UseUpstreamRetries     Forwarding     nothing itself; a safe request whose connection failed goes once more, elsewhere
    ///              load balancing, passive health checks (YARP)
    ///            MapNoRoute         Routing         404/405 no_route on the public port (Allow)
    /// </code>
    /// Everything else the upstream decides and the gateway passes on (origin upstream). Kestrel answers malformed
    /// requests (400), slow headers (408) and oversized headers (431) before any of this runs.
    /// </summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.ValidateGatewayConfig();
        app.UseGatewayMetrics();
        app.UseProxyStatus();
        app.UseGatewayExceptionHandler();
        app.UseRequestTargetCheck();
        app.UseAdminNoRouteProblems();
        app.UseGatewayRedirects();
        app.UseRouting();
        app.UseGatewayRequestTimeouts();
        app.UseGatewayAuthentication();
        app.UseGatewayMaintenance();
        app.UseGatewayAuthorization();
        app.UseGatewayRateLimiting();
        app.UseGatewayCaching();

        app.MapGatewayAdmin()
            .MapMaintenanceAdmin()
            .MapRateLimitingAdmin();
        app.MapStatusGuide();
        app.BuildFixedEndpointsOnce();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseOverloadShedding();
            proxy.UseUpstreamFailures();
            proxy.UseGrpcDeadline();
            proxy.UseRequestBodyLimit();
            proxy.UseUpstreamTiming();
            proxy.UseSessionAffinity();
            proxy.UseUpstreamRetries();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        }).WithMetadata(ListenerMetadata.Public);
        app.MapNoRoute();
        return app;
    }
}
