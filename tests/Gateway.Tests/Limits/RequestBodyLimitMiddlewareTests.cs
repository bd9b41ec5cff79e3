using System.Text.Json;
using Gateway.Errors;
using Gateway.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Limits;

/// <summary>A declared body over the route's limit, else the server's, is refused before the upstream is asked.</summary>
public sealed class RequestBodyLimitMiddlewareTests
{
    [Theory]
    [InlineData(100L, null, 101L, true)] // The route's limit, no server limit.
    [InlineData(100L, null, 100L, false)] // At the limit is within it.
    [InlineData(100L, 10L, 50L, false)] // The route overrides a smaller server limit.
    [InlineData(100L, 1000L, 500L, true)] // ... and a larger one.
    [InlineData(null, 1000L, 1001L, true)] // No route limit: the server's.
    [InlineData(null, 1000L, 1000L, false)]
    [InlineData(null, null, 1_000_000_000L, false)] // Neither: no limit.
    [InlineData(-1L, 10L, 1_000_000_000L, false)] // -1: no limit on this route, whatever the server says.
    [InlineData(0L, null, 1L, true)] // 0: no body at all.
    [InlineData(0L, null, 0L, false)]
    public async Task A_declared_length_over_the_limit_in_force_is_413(long? routeLimit, long? serverLimit, long contentLength, bool refused)
    {
        var (context, passed) = await Invoke(routeLimit, serverLimit, contentLength);

        Assert.Equal(!refused, passed);
        Assert.Equal(refused ? 413 : 200, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_body_without_a_declared_length_is_left_to_the_server_while_it_is_read()
    {
        var (context, passed) = await Invoke(routeLimit: 10, serverLimit: 10, contentLength: null);

        Assert.True(passed);
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task The_refusal_is_a_limits_problem_that_names_the_limit()
    {
        var (context, _) = await Invoke(routeLimit: 1024, serverLimit: 30_000_000, contentLength: 2048);

        Assert.Equal("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("limits", problem.RootElement.GetProperty("origin").GetString());
        Assert.Equal("The request body is over this route's limit of 1024 bytes.", problem.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(413, 413, "The request body is over this route's limit.")]
    [InlineData(408, 408, "The request body did not arrive in time.")]
    public void A_body_that_failed_while_forwarded_keeps_kestrels_verdict(int kestrelStatus, int status, string detail)
    {
        var decision = RequestBodyLimitMiddleware.DecideReadFailure(kestrelStatus);

        Assert.NotNull(decision);
        Assert.Equal(status, decision.Value.Status);
        Assert.Equal(GatewayOrigin.Limits, decision.Value.Origin);
        Assert.Equal(detail, decision.Value.Detail);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(500)]
    public void Any_other_read_failure_is_not_a_limit(int kestrelStatus) =>
        Assert.Null(RequestBodyLimitMiddleware.DecideReadFailure(kestrelStatus));

    private static async Task<(HttpContext Context, bool Passed)> Invoke(long? routeLimit, long? serverLimit, long? contentLength)
    {
        var passed = false;
        var middleware = new RequestBodyLimitMiddleware(_ =>
        {
            passed = true;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new ServerLimit { MaxRequestBodySize = serverLimit });
        context.Request.Method = "POST";
        context.Request.ContentLength = contentLength;
        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var route = new RouteModel(new RouteConfig { RouteId = "uploads", ClusterId = "files", MaxRequestBodySize = routeLimit }, null, HttpTransformer.Empty);
        context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature { Route = route, Cluster = null!, AvailableDestinations = [] });

        await middleware.InvokeAsync(context);
        return (context, passed);
    }

    private sealed class ServerLimit : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; }
    }
}
