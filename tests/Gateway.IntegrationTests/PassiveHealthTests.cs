using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>YARP's passive health checks (the breaker) as shipped for the users cluster, made visible.</summary>
public sealed class PassiveHealthTests : PerTestGateway
{
    // users-1 refuses every connection; the root config's passive check (TransportFailureRate over 0.5) stays, with a
    // 2 s window and reactivation period (YARP waits for the longer of the two) so the test sees users-1 come back.
    protected override string[] GatewayArgs => ["--PassiveHealth:DetectionWindowSize=00:00:02"];

    protected override Action<JsonObject>? ConfigBeforeStart => json =>
    {
        var users = json["ReverseProxy"]!["Clusters"]!["users"]!;
        users["Destinations"]!["users-1"]!["Address"] = $"http://127.0.0.1:{ClosedPort.Next()}";
        users["HealthCheck"]!["Passive"]!["ReactivationPeriod"] = "00:00:02";
    };

    [Fact]
    public async Task A_failing_destination_is_taken_out_by_the_passive_check_and_put_back_after_the_period()
    {
        // Every request tries users-1 first and is retried on users-2: the client sees 200 throughout.
        await Eventually.HoldsAsync(async () =>
        {
            Assert.Equal(200, await StatusAsync("/api/users/1"));
            return await UnhealthyAsync("users-1", "passive") == 1;
        }, "users-1 is marked unhealthy by the passive check");
        Assert.Equal(0, await UnhealthyAsync("users-1", "active"));
        Assert.Equal(0, await UnhealthyAsync("users-2", "passive"));

        // Taken out: no request tries it, so nothing is retried.
        var retries = await RetriesAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, await StatusAsync("/api/users/1"));
        }

        Assert.Equal(retries, await RetriesAsync());
        // Destinations and their health are on the admin port's guide pages only (issue 24).
        Assert.Contains("users-1: unhealthy by passive health", await GuideAsync(Gateway.Admin), StringComparison.Ordinal);
        Assert.Contains("users-2: available", await GuideAsync(Gateway.Admin), StringComparison.Ordinal);
        Assert.DoesNotContain("users-1", await GuideAsync(Client), StringComparison.Ordinal);

        // After the period it is tried again (and, still refusing, retried).
        await Eventually.HoldsAsync(async () => await UnhealthyAsync("users-1", "passive") == 0, "users-1 is put back after 2 s");
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        Assert.Equal(retries + 1, await RetriesAsync());
    }

    private static async Task<string> GuideAsync(HttpClient port)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_gateway/status/503?origin=no_healthy&route=users-api");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await port.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<double> UnhealthyAsync(string destination, string check)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum("gateway_destination_unhealthy", labels => labels["destination"] == destination && labels["check"] == check);
    }

    private async Task<double> RetriesAsync()
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum("gateway_upstream_retries_total", labels => labels["cluster"] == "users");
    }
}
