using Gateway.Hosting;
using Gateway.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Routing;

public sealed class AllowedMethodsTests
{
    [Fact]
    public void Another_method_at_the_path_is_a_405_that_lists_the_accepted_ones()
    {
        var context = Request("DELETE", "/users/7", Endpoint("/users/{id}", ["GET"]), Endpoint("/users/{id}", ["PUT", "get"]), Endpoint("/orders", ["DELETE"]));

        Assert.Equal("GET, PUT", AllowedMethods.AllowHeader(context, GatewayListener.Public));
    }

    [Theory]
    [InlineData("/items/{id:int}", "/items/42", true)]
    [InlineData("/items/{id:int}", "/items/abc", false)] // The constraint is checked as routing checks it.
    [InlineData("/items/{id:int?}", "/items", true)]
    [InlineData("/docs/{page=index}", "/docs", true)]
    [InlineData("/pages/{name:regex(^[a-z]+$)}", "/pages/abc", true)]
    [InlineData("/pages/{name:regex(^[a-z]+$)}", "/pages/123", false)]
    [InlineData("/api/{**rest}", "/api/a/b/c", true)]
    [InlineData("/api/{**rest}", "/other", false)]
    [InlineData("/API/users", "/api/USERS", true)]
    public void Only_an_endpoint_whose_template_matches_the_path_counts(string pattern, string path, bool notAllowed)
    {
        var context = Request("POST", path, Endpoint(pattern, ["GET"]));

        Assert.Equal(notAllowed ? "GET" : null, AllowedMethods.AllowHeader(context, GatewayListener.Public));
    }

    [Theory]
    [InlineData(null, GatewayListener.Public, true)] // Endpoints without listener metadata are public.
    [InlineData(null, GatewayListener.Admin, false)]
    [InlineData(GatewayListener.Admin, GatewayListener.Public, false)]
    [InlineData(GatewayListener.Admin, GatewayListener.Admin, true)]
    [InlineData(GatewayListener.Public, GatewayListener.Admin, false)]
    public void Endpoints_of_the_other_listener_do_not_count(GatewayListener? owner, GatewayListener listener, bool notAllowed)
    {
        var metadata = owner switch
        {
            GatewayListener.Admin => new object[] { ListenerMetadata.Admin },
            GatewayListener.Public => [ListenerMetadata.Public],
            _ => [],
        };
        var context = Request("POST", "/healthz", Endpoint("/healthz", ["GET"], metadata));

        Assert.Equal(notAllowed, AllowedMethods.AllowHeader(context, listener) is not null);
    }

    [Theory]
    [InlineData(GatewayListener.Public)]
    [InlineData(GatewayListener.Admin)]
    public void An_endpoint_on_both_listeners_counts_on_each(GatewayListener listener)
    {
        var context = Request("POST", "/_gateway/status", Endpoint("/_gateway/status", ["GET"], ListenerMetadata.Both));

        Assert.NotNull(AllowedMethods.AllowHeader(context, listener));
    }

    [Theory]
    [InlineData("api.example.com", "api.example.com", false, true)]
    [InlineData("API.example.com", "api.EXAMPLE.com", false, true)]
    [InlineData("api.example.com", "other.example.com", false, false)]
    [InlineData("api.example.com", "api.example.com:8080", false, true)] // No port in the pattern: any port.
    [InlineData("api.example.com:80", "api.example.com", false, true)] // No port in the request: the scheme's.
    [InlineData("api.example.com:443", "api.example.com", true, true)]
    [InlineData("api.example.com:443", "api.example.com", false, false)]
    [InlineData("api.example.com:8080", "api.example.com:8081", false, false)]
    [InlineData("*.example.com", "a.example.com", false, true)]
    [InlineData("*.example.com", "example.com", false, false)]
    public void An_endpoint_for_another_host_does_not_count(string host, string requestHost, bool https, bool notAllowed)
    {
        var context = Request("POST", "/users", Endpoint("/users", ["GET"], new HostAttribute(host)));
        context.Request.Host = new HostString(requestHost);
        context.Request.IsHttps = https;

        Assert.Equal(notAllowed, AllowedMethods.AllowHeader(context, GatewayListener.Public) is not null);
    }

    [Fact]
    public void Any_of_several_hosts_may_match()
    {
        var context = Request("POST", "/users", Endpoint("/users", ["GET"], new HostAttribute("a.test", "b.test")));
        context.Request.Host = new HostString("b.test");

        Assert.NotNull(AllowedMethods.AllowHeader(context, GatewayListener.Public));
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)] // A wrong method is then not the only mismatch that could be named.
    [InlineData(false, true, false)]
    public void A_route_that_also_matches_headers_or_query_does_not_count(bool headers, bool query, bool notAllowed)
    {
        var match = new RouteMatch
        {
            Path = "/users",
            Headers = headers ? [new RouteHeader { Name = "X-Version", Values = ["2"] }] : null,
            QueryParameters = query ? [new RouteQueryParameter { Name = "v", Values = ["2"] }] : null,
        };
        var route = new RouteModel(new RouteConfig { RouteId = "users", ClusterId = "users", Match = match }, null, HttpTransformer.Empty);
        var context = Request("POST", "/users", Endpoint("/users", ["GET"], route));

        Assert.Equal(notAllowed, AllowedMethods.AllowHeader(context, GatewayListener.Public) is not null);
    }

    [Fact]
    public void An_endpoint_that_takes_any_method_names_none()
    {
        var context = Request("POST", "/users", Endpoint("/users", methods: null));

        Assert.Null(AllowedMethods.AllowHeader(context, GatewayListener.Public));
    }

    /// <summary>
    /// Why AllowedMethods exists rather than routing's own 405 (HttpMethodMatcherPolicy): routing decides the method
    /// at the path's node, before the host (policy order -1000 before -100) and before route constraints (checked on the
    /// candidates last), and its 405 endpoint has neither, so a route of another host, or one whose constraint fails,
    /// makes a 405 (MethodNotAllowedTests wants 404). When this fails, routing checks them: try its own 405 again.
    /// </summary>
    [Theory]
    [InlineData("/hooks", "other.example.test")]
    [InlineData("/invoices/abc", "gateway.test")]
    public async Task Routings_own_405_ignores_the_routes_host_and_constraints(string path, string host)
    {
        var services = new ServiceCollection().AddLogging().AddMetrics().AddRouting()
            .AddSingleton(new System.Diagnostics.DiagnosticListener("test")).BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.Map("/hooks", _ => Task.CompletedTask).WithMetadata(new HttpMethodMetadata(["POST"])).RequireHost("hooks.example.test");
            endpoints.Map("/invoices/{id:int}", _ => Task.CompletedTask).WithMetadata(new HttpMethodMetadata(["POST"]));
        });
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.Host = new HostString(host);

        await app.Build()(context);

        Assert.Equal((405, "POST"), (context.Response.StatusCode, context.Response.Headers.Allow.ToString()));
        Assert.Null(AllowedMethods.AllowHeader(context, GatewayListener.Public)); // the copy checks both
    }

    private static RouteEndpoint Endpoint(string pattern, string[]? methods, params object[] metadata)
    {
        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), order: 0);
        if (methods is not null)
        {
            builder.Metadata.Add(new HttpMethodMetadata(methods));
        }

        foreach (var item in metadata)
        {
            builder.Metadata.Add(item);
        }

        return (RouteEndpoint)builder.Build();
    }

    private static DefaultHttpContext Request(string method, string path, params Endpoint[] endpoints)
    {
        var services = new ServiceCollection().AddRouting().AddSingleton<EndpointDataSource>(new DefaultEndpointDataSource(endpoints));
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString("gateway.test");
        return context;
    }
}
