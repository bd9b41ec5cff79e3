using System.Diagnostics;
using Gateway.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Tests.Observability;

/// <summary>The transform that replaces HttpClient's propagation, run through YARP's own transform pipeline.</summary>
public sealed class TraceContextPropagationTests
{
    private const string ClientTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Fact]
    public async Task The_clients_traceparent_is_replaced_by_one_naming_the_gateways_span()
    {
        using var span = new Activity("forward").SetIdFormat(ActivityIdFormat.W3C).SetParentId(ClientTraceparent).Start();
        var proxyRequest = await TransformAsync(("traceparent", ClientTraceparent), ("tracestate", "vendor=client"));

        var forwarded = Assert.Single(proxyRequest.Headers.GetValues("traceparent"));
        Assert.Equal(span.Id, forwarded);
        Assert.Contains("4bf92f3577b34da6a3ce929d0e0e4736", forwarded, StringComparison.Ordinal);
        Assert.DoesNotContain("00f067aa0ba902b7", forwarded, StringComparison.Ordinal);
        Assert.False(proxyRequest.Headers.Contains("tracestate"), "the client's tracestate belongs to its own span");
    }

    [Fact]
    public async Task Without_a_span_the_clients_trace_headers_are_not_passed_on_as_the_gateways()
    {
        Activity.Current = null;
        var proxyRequest = await TransformAsync(("traceparent", ClientTraceparent));
        Assert.False(proxyRequest.Headers.Contains("traceparent"));
    }

    private static async Task<HttpRequestMessage> TransformAsync(params (string Name, string Value)[] sent)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddReverseProxy().PropagateTraceContext();
        await using var provider = services.BuildServiceProvider();
        var transformer = provider.GetRequiredService<ITransformBuilder>().Build(new RouteConfig { RouteId = "r", ClusterId = "c" }, null);

        var context = new DefaultHttpContext { RequestServices = provider };
        foreach (var (name, value) in sent)
        {
            context.Request.Headers[name] = value;
        }

        var proxyRequest = new HttpRequestMessage(HttpMethod.Get, "http://upstream.test/");
        await transformer.TransformRequestAsync(context, proxyRequest, "http://upstream.test", CancellationToken.None);
        return proxyRequest;
    }
}
