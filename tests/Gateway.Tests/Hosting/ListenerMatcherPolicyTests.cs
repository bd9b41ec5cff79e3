using Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Gateway.Tests.Hosting;

/// <summary>Which endpoints a request may reach on the listener that accepted its connection.</summary>
public sealed class ListenerMatcherPolicyTests
{
    private static readonly Endpoint Unmarked = Endpoint("route");
    private static readonly Endpoint PublicOnly = Endpoint("public", ListenerMetadata.Public);
    private static readonly Endpoint AdminOnly = Endpoint("admin", ListenerMetadata.Admin);
    private static readonly Endpoint Guide = Endpoint("guide", ListenerMetadata.Both);

    [Fact]
    public async Task On_the_public_port_admin_endpoints_are_dropped()
    {
        var valid = await Apply(ListenerFeature.Public);

        Assert.Equal([true, true, false, true], valid);
    }

    [Fact]
    public async Task On_the_admin_port_only_admin_and_shared_endpoints_remain()
    {
        var valid = await Apply(ListenerFeature.Admin);

        Assert.Equal([false, false, true, true], valid);
    }

    [Fact]
    public async Task A_request_without_a_listener_is_public()
    {
        var valid = await Apply(null);

        Assert.Equal([true, true, false, true], valid);
    }

    private static async Task<bool[]> Apply(ListenerFeature? listener)
    {
        var context = new DefaultHttpContext();
        if (listener is not null)
        {
            context.Features.Set(listener);
        }

        Endpoint[] endpoints = [Unmarked, PublicOnly, AdminOnly, Guide];
        var candidates = new CandidateSet(endpoints, [.. endpoints.Select(_ => new RouteValueDictionary())], [.. endpoints.Select(_ => 0)]);
        var policy = new ListenerMatcherPolicy();
        Assert.True(policy.AppliesToEndpoints(endpoints));

        await policy.ApplyAsync(context, candidates);
        return [.. Enumerable.Range(0, candidates.Count).Select(candidates.IsValidCandidate)];
    }

    private static Endpoint Endpoint(string name, params object[] metadata) =>
        new(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), name);
}
