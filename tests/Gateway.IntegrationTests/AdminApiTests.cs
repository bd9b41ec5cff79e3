using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>The admin API on :8081: keys, read-only vs admin, strict bodies, and the state it reports.</summary>
public sealed class AdminApiTests : PerTestGateway
{
    // Keys (401 without or with a wrong one, 403 for a read-only change) and the admin port's surface through the
    // public port: Reliability/AdminSecurityTests.
    [Fact]
    public async Task An_admin_problem_type_resolves_on_the_admin_port_too()
    {
        using var noKey = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status", key: null);
        var type = (await ProblemAssert.IsGatewayProblemAsync(noKey, 401, "auth")).GetProperty("type").GetString()!;
        Assert.Equal("/_gateway/status/401", type);
        using var page = await Gateway.Admin.GetAsync(new Uri(type, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>
    /// Issue 24: keys have names (Admin:Keys:&lt;name&gt;), and the audit records the name, so adding or reordering keys
    /// leaves every entry naming the key that made it (a list index would now name another key).
    /// </summary>
    [Fact]
    public async Task The_audit_names_each_change_by_its_keys_configured_name_whatever_the_order_of_the_keys()
    {
        const string OpsKey = "ops-key-0123456789abcdefghijklmnopqrstuv";
        await MaintenanceOffAsync(GatewayInstance.AdminKey);
        await Gateway.EditConfigAsync(Config, json => json["Admin"]!["Keys"] = new JsonObject
        {
            ["ops"] = new JsonObject { ["Key"] = OpsKey, ["Access"] = "Full" },
            ["demo-viewer"] = new JsonObject { ["Key"] = GatewayInstance.ReadOnlyKey, ["Access"] = "ReadOnly" },
            ["demo-admin"] = new JsonObject { ["Key"] = GatewayInstance.AdminKey, ["Access"] = "Full" },
        });
        await MaintenanceOffAsync(GatewayInstance.AdminKey);
        await MaintenanceOffAsync(OpsKey);

        using var audit = await Gateway.AdminAsync(HttpMethod.Get, "/admin/audit", GatewayInstance.ReadOnlyKey);
        var text = await audit.Content.ReadAsStringAsync();
        Assert.DoesNotContain(GatewayInstance.AdminKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(OpsKey, text, StringComparison.Ordinal);
        Assert.Equal(["ops", "demo-admin", "demo-admin"],
            JsonDocument.Parse(text).RootElement.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task The_old_key_lists_are_refused_naming_the_new_shape()
    {
        Config.Edit(json => json["Admin"] = new JsonObject { ["AdminKeys"] = new JsonArray("another-admin-key-0123456789abcdefghij") });
        await Eventually.HoldsAsync(async () =>
        {
            var (_, report) = await Gateway.HealthReportAsync();
            return report.GetProperty("checks").GetProperty("config").GetProperty("description").GetString() is { } why
                && why.Contains("Admin:AdminKeys", StringComparison.Ordinal) && why.Contains("Admin:Keys:<name>:Key", StringComparison.Ordinal);
        }, "the edit is refused with an error naming the old key and the new shape");
        using var stillServing = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status");
        Assert.Equal(HttpStatusCode.OK, stillServing.StatusCode);
    }

    public static TheoryData<string, int, string> BadBodies() => new()
    {
        { "{ not json", 400, "the body" },
        { """{ "enabled": "yes" }""", 400, "'enabled'" },
        { """{ "enabled": true, "colour": "red" }""", 400, "'colour'" },
        { """{ "routes": ["users-api"] }""", 422, "'enabled'" },
        { """{ "enabled": true, "routes": ["no-such-route"] }""", 422, "'routes'" },
        { """{ "enabled": true, "retryAfterSeconds": 0 }""", 422, "'retryAfterSeconds'" },
        { """{ "enabled": true, "until": "2001-01-01T00:00:00Z" }""", 422, "'until'" },
        { """{ "enabled": true, "from": "2100-01-02T00:00:00Z", "until": "2100-01-01T00:00:00Z" }""", 422, "Field 'from': must be before Until" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))] // (a body over the limit, 413: Reliability/HostileInputTests)
    public async Task A_bad_body_is_rejected_naming_the_field_and_nothing_changes(string body, int status, string named)
    {
        using var response = await Gateway.AdminAsync(HttpMethod.Put, "/admin/maintenance", json: body);
        var problem = await ProblemAssert.IsGatewayProblemAsync(response, status, "gateway");
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var state = await Gateway.AdminAsync(HttpMethod.Get, "/admin/maintenance");
        Assert.False((await state.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.Equal(200, await StatusAsync("/api/users/1"));
    }

    [Fact]
    public async Task Routes_lists_routes_policies_destination_health_and_the_last_reload()
    {
        using var response = await Gateway.AdminAsync(HttpMethod.Get, "/admin/routes", GatewayInstance.ReadOnlyKey);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var routes = body.GetProperty("routes").EnumerateArray().ToDictionary(route => route.GetProperty("id").GetString()!);
        Assert.Equal("search", routes["search"].GetProperty("rateLimiterPolicy").GetString());
        Assert.Equal("admin", routes["user-admin"].GetProperty("authorizationPolicy").GetString());
        Assert.Equal("00:00:02", routes["chaos"].GetProperty("timeout").GetString());
        var clusters = body.GetProperty("clusters").EnumerateArray().ToDictionary(cluster => cluster.GetProperty("id").GetString()!);
        Assert.True(clusters["nowhere-checked"].GetProperty("activeHealthCheck").GetBoolean());
        Assert.True(body.GetProperty("lastConfigReload").GetProperty("succeeded").GetBoolean());
    }

    [Fact]
    public async Task Routes_reports_a_rejected_edit_with_its_error_text()
    {
        Config.Edit(json => json["ReverseProxy"]!["Routes"]!["chaos"]!["ClusterId"] = "gone");
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await Gateway.AdminAsync(HttpMethod.Get, "/admin/routes");
            var last = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lastConfigReload");
            return !last.GetProperty("succeeded").GetBoolean()
                && last.GetProperty("errors").EnumerateArray().Any(error => error.GetString()!.Contains("Route 'chaos'", StringComparison.Ordinal))
                && TimeSpan.Parse(last.GetProperty("took").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > TimeSpan.Zero;
        }, "the admin API shows the rejected edit, names the route and says how long the edit took");
    }

    [Fact]
    public async Task Ratelimits_lists_the_policies_in_force()
    {
        using var response = await Gateway.AdminAsync(HttpMethod.Get, "/admin/ratelimits", GatewayInstance.ReadOnlyKey);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("memory", body.GetProperty("store").GetString());
        var search = Assert.Single(body.GetProperty("policies").EnumerateArray());
        Assert.Equal("FixedWindow", search.GetProperty("kind").GetString());
        Assert.Equal(10, search.GetProperty("permitLimit").GetInt32());
    }

    private async Task MaintenanceOffAsync(string key)
    {
        using var response = await Gateway.AdminAsync(HttpMethod.Delete, "/admin/maintenance", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
