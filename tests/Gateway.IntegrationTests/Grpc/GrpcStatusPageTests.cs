using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Playwright;
using Samples.Grpc.V1;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>
/// Issue 27: the status page shows a route's gRPC errors inside HTTP 200, split by who made them. Three calls on a route
/// limited to two per minute: an OK one, the upstream's NOT_FOUND and the gateway's RESOURCE_EXHAUSTED (ratelimit), all HTTP 200.
/// </summary>
public sealed class GrpcStatusPageTests(GrpcSample sample) : PerTestGateway, IClassFixture<GrpcSample>
{
    protected override string[] GatewayArgs => ["--Gateway:Protocols:Public=Http2"];

    protected override Action<JsonObject>? ConfigBeforeStart => json =>
    {
        sample.AddRoute(json);
        json["ReverseProxy"]!["Routes"]!["grpc-test"]!["RateLimiterPolicy"] = "grpc-two";
        json["RateLimiting"]!["Policies"]!["grpc-two"] = new JsonObject { ["Kind"] = "FixedWindow", ["PermitLimit"] = 2, ["Window"] = "00:01:00" };
    };

    [Fact]
    public async Task The_json_counts_a_routes_grpc_errors_by_who_made_them_and_a_route_without_grpc_has_none()
    {
        await CallThreeTimesAsync();

        var grpc = default(JsonElement);
        await Eventually.HoldsAsync(async () =>
        {
            grpc = (await RoutesAsync())["grpc-test"].GetProperty("grpc");
            return grpc.ValueKind == JsonValueKind.Object && grpc.GetProperty("responses").GetDouble() == 3;
        }, "the three calls are on the status page");
        Assert.Equal((2d, 1d, 1d, 0d), (grpc.GetProperty("errors").GetDouble(), grpc.GetProperty("upstream").GetDouble(),
            grpc.GetProperty("gateway").GetDouble(), grpc.GetProperty("client").GetDouble()));
        Assert.Equal("""{"ratelimit":{"RESOURCE_EXHAUSTED":1},"upstream":{"NOT_FOUND":1}}""", grpc.GetProperty("byOrigin").GetRawText());
        // All three were HTTP 200: the route's 5xx count sees none of them.
        var routes = await RoutesAsync();
        Assert.Equal(0, routes["grpc-test"].GetProperty("errors").GetDouble());
        Assert.Equal(JsonValueKind.Null, routes["users-api"].GetProperty("grpc").ValueKind);
    }

    [RealComponentFact("chromium")]
    public async Task The_page_shows_grpc_errors_inside_http_200_on_the_grpc_route_only()
    {
        await CallThreeTimesAsync();

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.OpenAsync(Gateway, GatewayInstance.AdminKey);
        var grpcRow = page.Locator("#routes tbody tr[data-route='grpc-test']");
        await Assertions.Expect(grpcRow.Locator(".grpc")).ToHaveTextAsync(
            "gRPC errors inside HTTP 200: 2 of 3 (gateway made (ratelimit) RESOURCE_EXHAUSTED 1; upstream answered NOT_FOUND 1)", new() { Timeout = 15_000 });
        await Assertions.Expect(grpcRow.Locator(".grpc")).ToHaveClassAsync("grpc bad");
        await Assertions.Expect(page.Locator("#routes tbody tr[data-route='users-api'] .grpc")).ToHaveCountAsync(0);
    }

    private async Task CallThreeTimesAsync()
    {
        using var channel = GrpcChannel.ForAddress(Client.BaseAddress!);
        var client = new Sample.SampleClient(channel);
        Assert.Equal(7, (await client.GetAsync(new GetRequest { Id = 7 })).Id);
        var upstream = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetRequest { Id = 1, FailWith = (int)StatusCode.NotFound }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, upstream.StatusCode);
        var limited = await Assert.ThrowsAsync<RpcException>(() => client.GetAsync(new GetRequest { Id = 2 }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
    }

    private async Task<Dictionary<string, JsonElement>> RoutesAsync()
    {
        using var response = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("routes").EnumerateArray().ToDictionary(route => route.GetProperty("id").GetString()!, route => route.Clone());
    }
}
