using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Samples.UsersApi;

namespace Gateway.IntegrationTests;

/// <summary>
/// The traffic generator's "flaky replica" incident, step by step, on the root config's users cluster (users-1 first,
/// users-2 behind it, retries and passive health on): retries hide the resets, the breaker opens, and only with both
/// replicas out does the gateway answer 503.
/// </summary>
public sealed class FlakyReplicaTests : PerTestGateway
{
    private WebApplication _second = null!;

    protected override Action<JsonObject>? ConfigBeforeStart => json =>
    {
        _second = UsersApiApp.Create(["--urls", "http://127.0.0.1:0", "--Replica=users-2"]);
        _second.StartAsync().GetAwaiter().GetResult();
        json["ReverseProxy"]!["Clusters"]!["users"]!["Destinations"]!["users-2"]!["Address"] = _second.Urls.Single();
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Retries_hide_a_flaky_replica_the_breaker_takes_it_out_and_503_comes_only_when_both_are_out()
    {
        // users-1 resets every /api/flaky: each request is retried on users-2, so the client sees 200 from users-2.
        await Eventually.HoldsAsync(async () =>
        {
            Assert.Equal("users-2", await AnsweredByAsync());
            return await UnhealthyAsync("users-1") == 1;
        }, "passive health takes users-1 out after its failures");
        Assert.True(await RetriesAsync() >= 10, "the failures before the breaker opened were retried");

        // Out: requests go straight to users-2, nothing is retried.
        var retries = await RetriesAsync();
        Assert.Equal("users-2", await AnsweredByAsync());
        Assert.Equal(retries, await RetriesAsync());

        // users-2 goes away too: 502 while passive health has not marked it yet, then 503 no_healthy.
        await _second.StopAsync();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await Client.GetAsync(new Uri("/api/flaky?replica=users-1", UriKind.Relative));
            Assert.True(response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}");
            return response.StatusCode == HttpStatusCode.ServiceUnavailable
                && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("origin").GetString() == "no_healthy";
        }, "503 no_healthy once both are out");
    }

    private async Task<string?> AnsweredByAsync()
    {
        using var response = await Client.GetAsync(new Uri("/api/flaky?replica=users-1&percent=100", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answeredBy").GetString();
    }

    private async Task<double> UnhealthyAsync(string destination)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum("gateway_destination_unhealthy", labels => labels["destination"] == destination && labels["check"] == "passive");
    }

    private async Task<double> RetriesAsync()
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum("gateway_upstream_retries_total", labels => labels["cluster"] == "users" && labels["outcome"] == "recovered");
    }
}
