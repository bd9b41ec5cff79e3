using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Gateway.Errors.StatusGuide;
using Gateway.Maintenance;
using Gateway.RateLimiting;
using Gateway.Store;
using Gateway.Tests.TestSupport;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Errors.StatusGuide;

public sealed partial class StatusFactsTests
{
    private static readonly DateTimeOffset Now = new(2030, 5, 1, 22, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, "(unknown route)")]
    [InlineData("ghost", "ghost")] // Named but not (or no longer) in the config.
    public async Task Without_a_known_route_the_facts_say_so(string? routeId, string route)
    {
        var facts = await FactsAsync(routeId, routes: []);

        Assert.Equal(route, facts["route"]);
        Assert.Equal("(unknown cluster)", facts["cluster"]);
        Assert.Equal("(no timeout known)", facts["timeout"]);
        Assert.Equal("(no policy)", facts["policy"]);
        Assert.Equal("(no limits known)", facts["policyLimits"]);
        Assert.Equal("30000000", facts["bodyLimit"]); // Kestrel's default.
        Assert.Equal("00:00:15", facts["healthCheckInterval"]); // YARP's default.
        Assert.Equal("The service is down for maintenance.", facts["maintenanceMessage"]);
        Assert.Equal("no end time set", facts["maintenanceUntil"]);
        Assert.Equal("300", facts["maintenanceRetryAfter"]);
    }

    [Theory]
    [InlineData(2, 30, "00:00:02")] // The route's own timeout wins.
    [InlineData(null, 30, "00:00:30")]
    [InlineData(null, null, "(no timeout known)")]
    public async Task The_timeout_is_the_routes_else_the_clusters(int? routeSeconds, int? clusterSeconds, string timeout)
    {
        var route = Route() with { Timeout = routeSeconds is { } r ? TimeSpan.FromSeconds(r) : null };
        var cluster = Cluster() with { HttpRequest = new ForwarderRequestConfig { ActivityTimeout = clusterSeconds is { } c ? TimeSpan.FromSeconds(c) : null } };

        var facts = await FactsAsync("users", [route], cluster);

        Assert.Equal("users", facts["route"]);
        Assert.Equal("users-cluster", facts["cluster"]);
        Assert.Equal(timeout, facts["timeout"]);
    }

    [Fact]
    public async Task A_cluster_that_is_not_loaded_is_still_named() =>
        Assert.Equal("users-cluster", (await FactsAsync("users", [Route()]))["cluster"]);

    [Theory]
    [InlineData(1024L, "1024")]
    [InlineData(-1L, "no limit")] // YARP's way of lifting the limit on a route.
    [InlineData(null, "30000000")]
    public async Task The_body_limit_is_the_routes_else_kestrels(long? routeLimit, string bodyLimit) =>
        Assert.Equal(bodyLimit, (await FactsAsync("users", [Route() with { MaxRequestBodySize = routeLimit }]))["bodyLimit"]);

    [Fact]
    public async Task Kestrels_own_limits_are_the_ones_in_force()
    {
        var kestrel = new KestrelServerOptions();
        kestrel.Limits.MaxRequestLineSize = 4096;
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(5);

        var facts = await FactsAsync(null, [], kestrel: kestrel);

        Assert.Equal("4096", facts["requestLineLimit"]);
        Assert.Equal("32768", facts["headersLimit"]); // Kestrel's defaults where nothing is set.
        Assert.Equal("100", facts["headerCountLimit"]);
        Assert.Equal("00:00:05", facts["headersTimeout"]);
    }

    [Fact]
    public async Task Kestrel_without_a_body_limit_has_none()
    {
        var kestrel = new KestrelServerOptions();
        kestrel.Limits.MaxRequestBodySize = null;

        Assert.Equal("no limit", (await FactsAsync(null, [], kestrel: kestrel))["bodyLimit"]);
    }

    [Fact]
    public async Task The_health_check_interval_is_the_clusters_own()
    {
        var cluster = Cluster() with
        {
            HealthCheck = new HealthCheckConfig { Active = new ActiveHealthCheckConfig { Enabled = true, Interval = TimeSpan.FromSeconds(5) } },
        };

        Assert.Equal("00:00:05", (await FactsAsync("users", [Route()], cluster))["healthCheckInterval"]);
    }

    [Theory]
    [InlineData(RateLimitKind.FixedWindow, "10 requests per 00:01:00", "60")]
    [InlineData(RateLimitKind.SlidingWindow, "10 requests per 00:01:00", "15")] // one of its 4 segments, as the limiter's Retry-After
    [InlineData(RateLimitKind.TokenBucket, "20 requests in a burst, 5 more every 00:00:10", "10")]
    [InlineData(RateLimitKind.Concurrency, "10 requests at once", "1")]
    public async Task A_routes_policy_is_named_with_its_limits(RateLimitKind kind, string limits, string retryAfter)
    {
        var policy = new RateLimitPolicyOptions
        {
            Kind = kind,
            PermitLimit = 10,
            Window = kind == RateLimitKind.Concurrency ? TimeSpan.Zero : TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 4,
            TokenLimit = 20,
            TokensPerPeriod = 5,
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
        };

        var facts = await FactsAsync("users", [Route(policy: "Per-Client")], policy: policy);

        Assert.Equal("Per-Client", facts["policy"]);
        Assert.Equal(limits, facts["policyLimits"]);
        Assert.Equal(retryAfter, facts["policyRetryAfter"]);
    }

    [Fact]
    public async Task A_policy_that_is_not_configured_is_not_named()
    {
        var facts = await FactsAsync("users", [Route(policy: "gone")], policy: new() { PermitLimit = 1, Window = TimeSpan.FromMinutes(1) });

        Assert.Equal("(no policy)", facts["policy"]);
    }

    [Theory]
    [InlineData(90.0, "90", "2030-05-01T22:01:30.0000000+00:00")]
    [InlineData(90.5, "91", "2030-05-01T22:01:30.5000000+00:00")]
    [InlineData(0.2, "1", "2030-05-01T22:00:00.2000000+00:00")]
    public async Task A_maintenance_end_is_shown_and_the_wait_rounded_up_to_it(double secondsLeft, string retryAfter, string until)
    {
        var window = new MaintenanceWindow(true, [], "Upgrading.", 300, null, Now.AddSeconds(secondsLeft), "admin", Now);

        var facts = await FactsAsync(null, [], window: window);

        Assert.Equal("Upgrading.", facts["maintenanceMessage"]);
        Assert.Equal(until, facts["maintenanceUntil"]);
        Assert.Equal(retryAfter, facts["maintenanceRetryAfter"]);
    }

    [Fact]
    public async Task A_route_with_a_policy_in_maintenance_keeps_the_maintenance_wait()
    {
        var window = new MaintenanceWindow(true, [], "Upgrading.", 300, null, Now.AddMinutes(10), "admin", Now);
        var policy = new RateLimitPolicyOptions { Kind = RateLimitKind.FixedWindow, PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

        var facts = await FactsAsync("users", [Route(policy: "Per-Client")], policy: policy, window: window);

        Assert.Equal("600", facts["maintenanceRetryAfter"]);
        Assert.Equal("60", facts["policyRetryAfter"]);
    }

    [Theory]
    [InlineData(true, "users-1: available")]
    [InlineData(false, "the operators see each destination's health on the gateway's admin port")]
    public async Task Destination_ids_and_health_are_facts_of_the_admin_ports_pages_only(bool adminPort, string health) =>
        Assert.Equal(health, (await FactsAsync("users", [Route()], Cluster(), adminPort: adminPort))["destinationHealth"]);

    [Fact]
    public void Known_placeholders_are_filled_and_others_left_as_written()
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["route"] = "users", ["cluster"] = "users-cluster" };

        var text = StatusFacts.Fill("Route {route} to {cluster}, {route} again; {Route}, {nope}, {} and {not a name} stay.", facts);

        Assert.Equal("Route users to users-cluster, users again; {Route}, {nope}, {} and {not a name} stay.", text);
    }

    [Fact]
    public async Task Every_placeholder_in_the_guide_is_a_fact()
    {
        var facts = await FactsAsync(null, []);
        var placeholders = new StatusGuideBook().Codes
            .SelectMany(entry => entry.Origins.Select(origin => (entry.Code, Origin: origin.Key, Text: origin.Value))
                .Append((entry.Code, Origin: "(before the gateway)", Text: entry.BeforeGateway ?? "")))
            .SelectMany(page => Placeholder().Matches(page.Text).Select(match => (page.Code, page.Origin, Name: match.Groups[1].Value)));

        Assert.All(placeholders, used => Assert.True(facts.ContainsKey(used.Name), $"{used.Code} {used.Origin}: {{{used.Name}}} is not a fact"));
    }

    private static RouteConfig Route(string? policy = null) => new()
    {
        RouteId = "users",
        ClusterId = "users-cluster",
        Match = new RouteMatch { Path = "/users/{**rest}" },
        Metadata = policy is null ? null : new Dictionary<string, string> { [RateLimitEnforcer.RouteMetadataKey] = policy },
    };

    private static ClusterConfig Cluster() => new() { ClusterId = "users-cluster" };

    private static async Task<Dictionary<string, string>> FactsAsync(
        string? routeId,
        RouteConfig[] routes,
        ClusterConfig? cluster = null,
        RateLimitPolicyOptions? policy = null,
        MaintenanceWindow? window = null,
        KestrelServerOptions? kestrel = null,
        bool adminPort = true)
    {
        var rateLimits = new RateLimitingOptions();
        if (policy is not null)
        {
            rateLimits.Policies["per-client"] = policy;
        }

        using var maintenance = new MaintenanceState(new TestOptionsMonitor<MaintenanceOptions>(new()), new MemoryStore(), new FixedClock(Now));
        if (window is not null)
        {
            await maintenance.SetAsync(window);
        }

        await using var connections = new RedisConnections();
        await using var policies = new RateLimitPolicies(
            new TestOptionsMonitor<RateLimitingOptions>(rateLimits), Options.Create(new StoreOptions()), connections, NullLogger<RateLimitPolicies>.Instance);
        IStatusFactSource[] sources = [new MaintenanceStatusFacts(maintenance), new RateLimitStatusFacts(policies)];
        var context = new StatusFacts(
            new Proxy(routes, cluster), sources, Options.Create(kestrel ?? new KestrelServerOptions()), Options.Create(new ActiveHealthCheckMonitorOptions()));
        return context.Facts(routeId, adminPort);
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    /// <summary>The proxy's loaded routes and clusters, as YARP's lookup answers for them.</summary>
    private sealed class Proxy(RouteConfig[] routes, ClusterConfig? cluster) : IProxyStateLookup
    {
        private readonly ClusterState? _cluster = Loaded(cluster);

        public IEnumerable<RouteModel> GetRoutes() => routes.Select(route => new RouteModel(route, _cluster, HttpTransformer.Empty));

        public IEnumerable<ClusterState> GetClusters() => _cluster is null ? [] : [_cluster];

        public bool TryGetRoute(string id, [NotNullWhen(true)] out RouteModel? route)
        {
            route = GetRoutes().FirstOrDefault(model => string.Equals(model.Config.RouteId, id, StringComparison.OrdinalIgnoreCase));
            return route is not null;
        }

        public bool TryGetCluster(string id, [NotNullWhen(true)] out ClusterState? found)
        {
            found = GetClusters().FirstOrDefault(state => string.Equals(state.ClusterId, id, StringComparison.OrdinalIgnoreCase));
            return found is not null;
        }

        /// <summary>The cluster as YARP holds it once loaded, with one destination of unknown health.</summary>
        private static ClusterState? Loaded(ClusterConfig? cluster)
        {
            if (cluster is null)
            {
                return null;
            }

            var state = new ClusterState(cluster.ClusterId, new ClusterModel(cluster, new HttpMessageInvoker(new SocketsHttpHandler())));
            state.Destinations.TryAdd("users-1", new DestinationState("users-1"));
            return state;
        }
    }
}
