using System.Text.Json;
using Gateway.Overload;
using Gateway.Tests.TestSupport;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Overload;

/// <summary>503 overload with the limit's Retry-After when the gateway's or the cluster's permits are taken.</summary>
public sealed class OverloadShedderTests
{
    [Fact]
    public async Task Without_limits_every_request_passes()
    {
        using var limits = Limits(new OverloadOptions());

        var (context, passed) = await Invoke(limits, "users");

        Assert.True(passed);
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_request_over_a_full_cluster_limit_is_shed_with_its_retry_after()
    {
        using var limits = Limits(Options(gateway: null, users: new() { PermitLimit = 1, RetryAfterSeconds = 7 }));
        using var held = await limits.Current.Clusters["users"].AcquirePermitAsync(new DefaultHttpContext());

        var (context, passed) = await Invoke(limits, "users");

        Assert.False(passed);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("7", context.Response.Headers.RetryAfter.ToString());
        using var problem = await Problem(context);
        Assert.Equal("overload", problem.RootElement.GetProperty("origin").GetString());
        Assert.Equal(
            "Cluster 'users' has 1 requests in progress, its limit; this one was shed before reaching the upstream. Retry after the time in Retry-After.",
            problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Another_cluster_is_not_limited_by_a_full_one()
    {
        using var limits = Limits(Options(gateway: null, users: new() { PermitLimit = 1 }));
        using var held = await limits.Current.Clusters["users"].AcquirePermitAsync(new DefaultHttpContext());

        var (_, passed) = await Invoke(limits, "orders");

        Assert.True(passed);
    }

    [Fact]
    public async Task A_full_gateway_limit_sheds_every_cluster_and_says_so_with_its_queue()
    {
        using var limits = Limits(Options(
            gateway: new() { PermitLimit = 1, QueueLimit = 1, QueueTimeout = TimeSpan.FromMilliseconds(20), RetryAfterSeconds = 2 },
            users: new() { PermitLimit = 10 }));
        using var held = await limits.Current.Gateway!.AcquirePermitAsync(new DefaultHttpContext());

        var (context, passed) = await Invoke(limits, "users");

        Assert.False(passed);
        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        using var problem = await Problem(context);
        Assert.StartsWith("The gateway has 1 requests in progress and 1 waiting (for at most 0.02 s), its limit;", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, limits.Current.Clusters["users"].Limiter.GetStatistics()!.CurrentAvailablePermits); // The cluster's permit was never taken.
    }

    [Fact]
    public async Task A_request_shed_by_its_cluster_gives_the_gateway_permit_back()
    {
        using var limits = Limits(Options(gateway: new() { PermitLimit = 5 }, users: new() { PermitLimit = 1 }));
        using var held = await limits.Current.Clusters["users"].AcquirePermitAsync(new DefaultHttpContext());

        var (context, _) = await Invoke(limits, "users");

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal(5, limits.Current.Gateway!.Limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Both_permits_are_held_while_the_request_runs_and_given_back_after()
    {
        using var limits = Limits(Options(gateway: new() { PermitLimit = 5 }, users: new() { PermitLimit = 3 }));
        var during = (Gateway: -1L, Cluster: -1L);
        var shedder = new OverloadShedder(_ =>
        {
            during = (limits.Current.Gateway!.Limiter.GetStatistics()!.CurrentAvailablePermits, limits.Current.Clusters["users"].Limiter.GetStatistics()!.CurrentAvailablePermits);
            return Task.CompletedTask;
        }, limits, new OverloadMetrics(new MetricsRegistry()));

        await shedder.InvokeAsync(Context("users"));

        Assert.Equal((4L, 2L), during);
        Assert.Equal(5, limits.Current.Gateway!.Limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.Equal(3, limits.Current.Clusters["users"].Limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    private static OverloadLimits Limits(OverloadOptions options) => new(new TestOptionsMonitor<OverloadOptions>(options), new OverloadMetrics(new MetricsRegistry()));

    private static OverloadOptions Options(ConcurrencyLimitOptions? gateway, ConcurrencyLimitOptions users)
    {
        var options = new OverloadOptions { Gateway = gateway };
        options.Clusters["users"] = users;
        return options;
    }

    private static async Task<(HttpContext Context, bool Passed)> Invoke(OverloadLimits limits, string cluster)
    {
        var passed = false;
        var shedder = new OverloadShedder(_ =>
        {
            passed = true;
            return Task.CompletedTask;
        }, limits, new OverloadMetrics(new MetricsRegistry()));
        var context = Context(cluster);
        await shedder.InvokeAsync(context);
        return (context, passed);
    }

    private static DefaultHttpContext Context(string cluster)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var route = new RouteModel(new RouteConfig { RouteId = $"{cluster}-api", ClusterId = cluster }, null, HttpTransformer.Empty);
        var model = new ClusterModel(new ClusterConfig { ClusterId = cluster }, new HttpMessageInvoker(new HttpClientHandler()));
        context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature { Route = route, Cluster = model, AvailableDestinations = [] });
        return context;
    }

    private static async Task<JsonDocument> Problem(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return await JsonDocument.ParseAsync(context.Response.Body);
    }
}
