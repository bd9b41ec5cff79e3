using Gateway.Forwarding;
using Gateway.Tests.TestSupport;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Forwarding;

/// <summary>When the retry step sends a request again, and when it must not (the rest is in the integration tests).</summary>
public sealed class RetryMiddlewareTests
{
    [Fact]
    public async Task A_connection_failure_before_the_response_is_sent_again()
    {
        var context = Context();
        Assert.Equal(2, await CallsAsync(context, started: false));
    }

    [Fact]
    public async Task A_failure_after_the_response_started_is_never_sent_again()
    {
        var context = Context();
        Assert.Equal(1, await CallsAsync(context, started: true));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("PUT")] // Not on a route listed in IdempotentRoutes.
    public async Task A_request_that_is_not_safe_to_repeat_is_never_sent_again(string method)
    {
        var context = Context(method);
        Assert.Equal(1, await CallsAsync(context, started: false));
    }

    [Fact]
    public async Task A_request_with_a_body_is_never_sent_again()
    {
        var context = Context();
        context.Request.ContentLength = 10;
        Assert.Equal(1, await CallsAsync(context, started: false));
    }

    /// <summary>How often the step called the forwarder, which fails every time (before or after the response started).</summary>
    private static async Task<int> CallsAsync(DefaultHttpContext context, bool started)
    {
        var calls = 0;
        await Middleware(_ => Fail(context, ref calls, started)).InvokeAsync(context);
        return calls;
    }

    private static Task Fail(HttpContext context, ref int calls, bool started)
    {
        calls++;
        context.Features.Set<IForwarderErrorFeature>(new Failure());
        ((StartedResponse)context.Features.Get<IHttpResponseFeature>()!).Started = started;
        return Task.CompletedTask;
    }

    private static RetryMiddleware Middleware(RequestDelegate next) =>
        new(next, new TestOptionsMonitor<RetryOptions>(new RetryOptions { Attempts = 1 }), new ForwardingMetrics(new MetricsRegistry()));

    private static DefaultHttpContext Context(string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());
        context.Request.Method = method;
        var route = new RouteModel(new RouteConfig { RouteId = "users-api", ClusterId = "users" }, null, HttpTransformer.Empty);
        var cluster = new ClusterModel(new ClusterConfig { ClusterId = "users" }, new HttpMessageInvoker(new HttpClientHandler()));
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route), "users-api"));
        context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature
        {
            Route = route,
            Cluster = cluster,
            AvailableDestinations = [],
        });
        return context;
    }

    private sealed class Failure : IForwarderErrorFeature
    {
        public ForwarderError Error => ForwarderError.Request;

        public Exception? Exception => null;
    }

    /// <summary>A response whose HasStarted the test sets (DefaultHttpContext's never starts).</summary>
    private sealed class StartedResponse : HttpResponseFeature
    {
        public bool Started { get; set; }

        public override bool HasStarted => Started;
    }
}
