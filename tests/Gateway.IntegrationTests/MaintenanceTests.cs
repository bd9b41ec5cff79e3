using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>503 maintenance: global or per route, from config or the admin API, with a window, Retry-After and an allow-list.</summary>
public sealed class MaintenanceTests : PerTestGateway
{
    [Fact]
    public async Task Whole_gateway_maintenance_from_the_admin_api_is_503_with_message_and_retry_after_until_deleted()
    {
        using var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance",
            json: """{ "enabled": true, "retryAfterSeconds": 120, "message": "Upgrading the database." }""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        foreach (var path in new[] { "/api/users/1", "/chaos/status/200", "/api/search?q=x" })
        {
            using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
            var problem = await ProblemAssert.IsGatewayProblemAsync(response, 503, "maintenance");
            Assert.Equal("Upgrading the database.", problem.GetProperty("detail").GetString());
            Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
        }

        using var health = await Gateway.Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var delete = await Gateway.AdminAsync(HttpMethod.Delete, "/admin/maintenance");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(200, await StatusAsync("/api/users/1"));
    }

    [Fact]
    public async Task Route_maintenance_until_a_time_covers_that_route_only_and_retry_after_counts_down_to_it()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(90);
        using var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance",
            json: $$"""{ "enabled": true, "routes": ["users-api"], "until": "{{until:O}}" }""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var covered = await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(covered, 503, "maintenance");
        Assert.InRange(covered.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 80, 90);
        Assert.Equal(200, await StatusAsync("/chaos/status/200"));
    }

    [Fact]
    public async Task Admins_token_and_allow_listed_ips_still_get_through()
    {
        var alice = await Tokens.LoginAsync(Client, "alice");
        var bob = await Tokens.LoginAsync(Client, "bob");
        using var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: """{ "enabled": true }""");
        put.EnsureSuccessStatusCode();

        Assert.Equal(200, await StatusAsync("/api/users/1", request => Tokens.Bearer(request, alice)));
        Assert.Equal(503, await StatusAsync("/api/users/1", request => Tokens.Bearer(request, bob)));
        Assert.Equal(503, await StatusAsync("/api/users/1"));

        await Gateway.EditConfigAsync(Config, json => json["Maintenance"]!["Allow"]!["ClientIps"] = new System.Text.Json.Nodes.JsonArray("127.0.0.0/8"));
        Assert.Equal(200, await StatusAsync("/api/users/1"));
    }

    [Fact]
    public async Task Maintenance_from_config_applies_live_and_a_window_ends_by_itself()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(3);
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["Maintenance"]!["Enabled"] = true;
            json["Maintenance"]!["Routes"] = new System.Text.Json.Nodes.JsonArray("chaos");
            json["Maintenance"]!["Until"] = until.ToString("O");
        });

        using var during = await Client.GetAsync(new Uri("/chaos/status/200", UriKind.Relative));
        if (DateTimeOffset.UtcNow < until.AddMilliseconds(-500))
        {
            await ProblemAssert.IsGatewayProblemAsync(during, 503, "maintenance");
        }

        Assert.Equal(200, await StatusAsync("/api/users/1"));
        await Eventually.HoldsAsync(async () => await StatusAsync("/chaos/status/200") == 200, "maintenance ends at 'Until'", seconds: 10);
        Assert.True(DateTimeOffset.UtcNow >= until, "maintenance must last until its end time");
    }

    [Fact]
    public async Task A_window_that_starts_later_is_not_active_yet()
    {
        var from = DateTimeOffset.UtcNow.AddHours(1);
        using var put = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance",
            json: $$"""{ "enabled": true, "from": "{{from:O}}", "until": "{{from.AddHours(1):O}}" }""");
        put.EnsureSuccessStatusCode();
        var state = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(state.GetProperty("active").GetBoolean());
        Assert.Equal(200, await StatusAsync("/api/users/1"));
    }
}
