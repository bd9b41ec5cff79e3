using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 25: a redirect or a cache answer the gateway made itself says so in the standard headers: Proxy-Status
/// (RFC 9209) on redirects (issue 26: on every answer, ProxyStatusTests), Cache-Status (RFC 9211) on what the cache answered or forwarded. An upstream's own members
/// are kept; the gateway's comes last (the lists run from the origin towards the client).
/// </summary>
public sealed partial class WhoAnsweredTests : PerTestGateway
{
    private const string Products = "/api/products";
    private const string UpstreamCacheStatus = "origin-cache; fwd=uri-miss; stored";
    private const string UpstreamProxyStatus = "origin-proxy; received-status=200";

    [Theory]
    [InlineData("GET", "/v1/users/1", 301)]
    [InlineData("HEAD", "/v1/users/1", 301)]
    [InlineData("POST", "/v1/users", 308)]
    public async Task A_gateway_redirect_says_the_gateway_answered_it_itself(string method, string path, int status)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("gateway; error=proxy_internal_response", Header(response, "Proxy-Status"));
        Assert.Null(Header(response, "Cache-Status"));
    }

    [Fact]
    public async Task The_upstreams_own_301_carries_no_gateway_error()
    {
        using var response = await Client.GetAsync(new Uri("/old-url", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("gateway; received-status=301", Header(response, "Proxy-Status"));
    }

    [Fact]
    public async Task A_stored_miss_then_a_hit_then_a_304_from_the_cache_each_say_so()
    {
        using var miss = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        Assert.Equal("gateway; fwd=uri-miss; stored", Header(miss, "Cache-Status"));

        using var hit = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        Assert.NotNull(hit.Headers.Age);
        AssertHit(Header(hit, "Cache-Status"), maxTtl: 30 - (int)hit.Headers.Age!.Value.TotalSeconds);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Products);
        conditional.Headers.IfNoneMatch.Add(miss.Headers.ETag!);
        using var notModified = await Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        AssertHit(Header(notModified, "Cache-Status"), maxTtl: 30);
        // Issue 26: the gateway's bare member, no error (a hit is no failure) and no received-status (nobody was asked).
        Assert.Equal("gateway", Header(notModified, "Proxy-Status"));
        Assert.Equal("gateway", Header(hit, "Proxy-Status"));
        Assert.Equal("gateway; received-status=200", Header(miss, "Proxy-Status"));
    }

    [Fact]
    public async Task A_head_hit_says_hit_and_states_no_wrong_length()
    {
        using var miss = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Products));
        Assert.Equal("gateway; fwd=uri-miss; stored", Header(miss, "Cache-Status"));
        using var hit = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Products));
        AssertHit(Header(hit, "Cache-Status"), maxTtl: 30);
        Assert.NotEqual("0", Header(hit, "Content-Length"));
    }

    [Fact]
    public async Task A_miss_the_cache_must_not_keep_is_not_said_to_be_stored()
    {
        using var response = await Client.GetAsync(new Uri($"{Products}?cache=private", UriKind.Relative));
        Assert.Equal("gateway; fwd=uri-miss", Header(response, "Cache-Status"));
    }

    [Fact]
    public async Task Routes_without_the_cache_and_gateway_made_errors_get_no_cache_status()
    {
        using var proxied = await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        using var noRoute = await Client.GetAsync(new Uri("/no/route", UriKind.Relative));
        Assert.Null(Header(proxied, "Cache-Status"));
        Assert.Null(Header(noRoute, "Cache-Status"));
    }

    [Fact]
    public async Task An_upstreams_own_members_are_kept_and_the_gateways_comes_last()
    {
        // An upstream behind a cache and a proxy of its own: its answers carry their members already.
        await using var upstream = await TestUpstream.StartAsync(app => app.MapGet("/status-cached", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=30";
            context.Response.Headers["Cache-Status"] = UpstreamCacheStatus;
            context.Response.Headers["Proxy-Status"] = UpstreamProxyStatus;
            return Results.Text("cached");
        }));
        await CachedRouteAsync(upstream, "/status-cached");

        using var miss = await Client.GetAsync(new Uri("/status-cached", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
        Assert.Equal($"{UpstreamCacheStatus}, gateway; fwd=uri-miss; stored", Header(miss, "Cache-Status"));
        Assert.Equal($"{UpstreamProxyStatus}, gateway; received-status=200", Header(miss, "Proxy-Status"));

        using var hit = await Client.GetAsync(new Uri("/status-cached", UriKind.Relative));
        var members = Header(hit, "Cache-Status")!.Split(", ");
        Assert.Equal(UpstreamCacheStatus, string.Join(", ", members[..^1]));
        AssertHit(members[^1], maxTtl: 30);
        // The stored answer keeps the upstream's member (not the gateway's of the miss); the hit adds the bare one.
        Assert.Equal($"{UpstreamProxyStatus}, gateway", Header(hit, "Proxy-Status"));
    }

    [Fact]
    public async Task A_stored_answer_is_not_served_past_its_max_age()
    {
        var answers = 0;
        await using var upstream = await TestUpstream.StartAsync(app => app.MapGet("/short-lived", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=2";
            return Results.Text($"{Interlocked.Increment(ref answers)}");
        }));
        await CachedRouteAsync(upstream, "/short-lived");

        using (var first = await Client.GetAsync(new Uri("/short-lived", UriKind.Relative)))
        {
            Assert.Equal("gateway; fwd=uri-miss; stored", Header(first, "Cache-Status"));
        }

        var seen = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await Client.GetAsync(new Uri("/short-lived", UriKind.Relative));
            var member = Header(response, "Cache-Status") ?? "";
            seen.Add($"{member} (Age {response.Headers.Age?.TotalSeconds})");
            Assert.DoesNotContain("ttl=-", member, StringComparison.Ordinal); // a stale answer served as a hit
            Assert.True(response.Headers.Age is null || response.Headers.Age <= TimeSpan.FromSeconds(2), string.Join("; ", seen));
            return member.StartsWith("gateway; fwd=", StringComparison.Ordinal);
        }, () => "the upstream is asked again once max-age=2 has passed: " + string.Join("; ", seen.TakeLast(3)));
    }

    [Fact]
    public async Task A_method_the_cache_does_not_serve_is_forwarded_for_its_method()
    {
        await using var upstream = await TestUpstream.StartAsync(app => app.MapPost("/orders-cached", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=30";
            return Results.Text("made");
        }));
        await CachedRouteAsync(upstream, "/orders-cached");

        using var first = await Client.PostAsync(new Uri("/orders-cached", UriKind.Relative), new StringContent("a"));
        using var second = await Client.PostAsync(new Uri("/orders-cached", UriKind.Relative), new StringContent("b"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("gateway; fwd=method", Header(first, "Cache-Status")); // RFC 9211 §2.2: never stored, never a hit
        Assert.Equal("gateway; fwd=method", Header(second, "Cache-Status"));
    }

    [Fact]
    public async Task An_answer_with_set_cookie_is_forwarded_and_not_said_to_be_stored()
    {
        var answers = 0;
        await using var upstream = await TestUpstream.StartAsync(app => app.MapGet("/cookie-cached", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=30";
            context.Response.Headers.SetCookie = "session=1";
            return Results.Text($"{Interlocked.Increment(ref answers)}");
        }));
        await CachedRouteAsync(upstream, "/cookie-cached");

        using var first = await Client.GetAsync(new Uri("/cookie-cached", UriKind.Relative));
        using var second = await Client.GetAsync(new Uri("/cookie-cached", UriKind.Relative));

        Assert.Equal("gateway; fwd=uri-miss", Header(first, "Cache-Status"));
        Assert.Equal(("gateway; fwd=uri-miss", "2"), (Header(second, "Cache-Status"), await second.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_cache_member_takes_the_gateways_proxy_status_name_as_it_is_edited()
    {
        await Gateway.EditConfigAsync(Config, json => json["ProxyStatus"] = new JsonObject { ["Name"] = "edge-1.example" });

        using var miss = await Client.GetAsync(new Uri($"{Products}?named=1", UriKind.Relative));
        using var hit = await Client.GetAsync(new Uri($"{Products}?named=1", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Products}?named=1");
        request.Headers.CacheControl = new() { NoCache = true };
        using var forwarded = await Client.SendAsync(request);

        Assert.Equal("edge-1.example; fwd=uri-miss; stored", Header(miss, "Cache-Status"));
        Assert.StartsWith("edge-1.example; hit; ttl=", Header(hit, "Cache-Status"), StringComparison.Ordinal);
        Assert.Equal("edge-1.example; fwd=request", Header(forwarded, "Cache-Status"));
        Assert.Equal("edge-1.example", Header(hit, "Proxy-Status")); // one name for the gateway in both headers
    }

    private static void AssertHit(string? member, int maxTtl)
    {
        var match = HitMember().Match(member ?? "");
        Assert.True(match.Success, $"not a hit member: '{member}'");
        var ttl = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(ttl, maxTtl - 5, maxTtl);
    }

    /// <summary>A route on the shared cache to <paramref name="path"/> of a test's own upstream.</summary>
    private Task CachedRouteAsync(TestUpstream upstream, string path) => Gateway.EditConfigAsync(Config, json =>
    {
        json["ReverseProxy"]!["Clusters"]!["test-upstream"] = new JsonObject
        {
            ["Destinations"] = new JsonObject { ["one"] = new JsonObject { ["Address"] = upstream.Url } },
        };
        json["ReverseProxy"]!["Routes"]![$"cached{path.Replace('/', '-')}"] = new JsonObject
        {
            ["ClusterId"] = "test-upstream",
            ["OutputCachePolicy"] = "shared",
            ["Match"] = new JsonObject { ["Path"] = path },
        };
    });

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    [GeneratedRegex("^gateway; hit; ttl=(-?[0-9]+)$")]
    private static partial Regex HitMember();
}
