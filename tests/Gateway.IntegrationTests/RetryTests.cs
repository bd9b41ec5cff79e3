using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>A safe request whose connection failed goes once more, to the other destination; a POST never does.</summary>
public sealed class RetryTests : PerTestGateway
{
    // users-1 is a closed port and first (FirstAlphabetical): every request tries it first. Passive health is off here,
    // so it is never taken out and every GET needs its retry.
    protected override Action<JsonObject>? ConfigBeforeStart => json =>
    {
        var users = json["ReverseProxy"]!["Clusters"]!["users"]!.AsObject();
        users.Remove("HealthCheck");
        users["Destinations"]!["users-1"]!["Address"] = $"http://127.0.0.1:{ClosedPort.Next()}";
        json["AccessLog"]!["MinStatus"] = 0; // The retried requests end in 200.
    };

    [Fact]
    public async Task A_get_is_retried_on_the_other_destination_and_counted()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, await StatusAsync("/api/users/1"));
        }

        Assert.Equal(3, await RetriesAsync("recovered"));
        await Eventually.HoldsAsync(() => Task.FromResult(Gateway.Logs.Entries.Any(entry =>
            entry.Category == "Gateway.AccessLog" && entry.Fields["Retries"] is 1 && (string)entry.Fields["Destination"]! == "users-2")), "an access log line with retries=1 to users-2", seconds: 5);
    }

    [Fact]
    public async Task A_post_is_never_retried()
    {
        using var response = await Client.PostAsync(new Uri("/api/users", UriKind.Relative),
            new StringContent("""{"name":"Ada","email":"ada@example.com"}""", System.Text.Encoding.UTF8, "application/json"));
        await ProblemAssert.IsGatewayProblemAsync(response, 502, "unreachable");
        Assert.Equal(0, await RetriesAsync("recovered") + await RetriesAsync("failed"));
    }

    [Fact]
    public async Task With_retries_off_for_the_cluster_the_failure_is_answered()
    {
        await Gateway.EditConfigAsync(Config, json => json["Retries"] = JsonNode.Parse("""{ "Clusters": { "users": 0 } }"""));
        using var response = await Client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 502, "unreachable");
        Assert.Equal(0, await RetriesAsync("recovered"));
    }

    [Fact]
    public async Task A_retry_to_a_dead_only_destination_fails_once_and_is_answered_502()
    {
        // The chaos cluster has one destination: the retry goes to it again, and fails again.
        await Gateway.EditConfigAsync(Config, json =>
            json["ReverseProxy"]!["Clusters"]!["chaos"]!["Destinations"]!["chaos-1"]!["Address"] = $"http://127.0.0.1:{ClosedPort.Next()}");
        using var response = await Client.GetAsync(new Uri("/chaos/slow?ms=0", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 502, "unreachable");
        Assert.Equal(1, await RetriesAsync("failed", "chaos"));
    }

    private async Task<double> RetriesAsync(string outcome, string cluster = "users")
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum("gateway_upstream_retries_total", labels => labels["cluster"] == cluster && labels["outcome"] == outcome);
    }
}
