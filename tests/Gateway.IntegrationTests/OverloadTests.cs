using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>Concurrency limits shed the excess as 503 overload, never the admin port; the limits change live.</summary>
public sealed class OverloadTests : PerTestGateway
{
    protected override Action<JsonObject>? ConfigBeforeStart => json =>
    {
        json["Overload"] = JsonNode.Parse("""{ "Clusters": { "chaos": { "PermitLimit": 5, "QueueLimit": 0, "RetryAfterSeconds": 3 } } }""");
        // Slow answers of 0.8-1.8 s plus time queued must not meet the chaos route's 2 s timeout on a busy machine (a 504
        // there was counted as neither forwarded nor shed): these tests are about permits, not timeouts.
        json["ReverseProxy"]!["Routes"]!["chaos"]!["Timeout"] = "00:00:10";
    };

    [Fact]
    public async Task A_burst_over_the_limit_sheds_exactly_the_excess_while_health_and_admin_stay_up()
    {
        // Eight at once, each held 1.5 s upstream: five are forwarded, three find every permit taken.
        var burst = Enumerable.Range(0, 8).Select(_ => Client.GetAsync(new Uri("/chaos/slow?ms=1500", UriKind.Relative))).ToList();
        await Eventually.HoldsAsync(async () => await InUseAsync("chaos") == 5, "five permits in use");
        Assert.Equal(HttpStatusCode.OK, (await Gateway.HealthReportAsync()).Status);
        using (var status = await Gateway.AdminAsync(HttpMethod.Get, "/admin/status", GatewayInstance.ReadOnlyKey))
        {
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        }

        Assert.Equal(200, await StatusAsync("/api/users/1")); // Another cluster has no limit.
        var responses = await Task.WhenAll(burst);
        try
        {
            Assert.Equal(5, responses.Count(response => response.StatusCode == HttpStatusCode.OK));
            var shed = responses.Where(response => response.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
            Assert.Equal(3, shed.Count);
            foreach (var response in shed)
            {
                await ProblemAssert.IsGatewayProblemAsync(response, 503, "overload");
                Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(3, metrics.Sum("gateway_overload_shed_total", labels => labels["cluster"] == "chaos" && labels["scope"] == "cluster"));
        Assert.Equal(3, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "overload" && labels["code"] == "503"));
    }

    [Fact]
    public async Task A_queued_request_waits_for_a_permit_and_only_a_full_queue_sheds()
    {
        await Gateway.EditConfigAsync(Config, json =>
            json["Overload"] = JsonNode.Parse("""{ "Clusters": { "chaos": { "PermitLimit": 2, "QueueLimit": 2, "QueueTimeout": "00:00:10" } } }"""));
        var first = Enumerable.Range(0, 2).Select(_ => Client.GetAsync(new Uri("/chaos/slow?ms=800", UriKind.Relative))).ToList();
        await Eventually.HoldsAsync(async () => await InUseAsync("chaos") == 2, "two permits in use");
        var queued = Enumerable.Range(0, 2).Select(_ => Client.GetAsync(new Uri("/chaos/slow?ms=800", UriKind.Relative))).ToList();
        await Eventually.HoldsAsync(async () => await QueuedAsync("chaos") == 2, "two requests queued");
        using (var overflow = await Client.GetAsync(new Uri("/chaos/slow?ms=800", UriKind.Relative)))
        {
            await ProblemAssert.IsGatewayProblemAsync(overflow, 503, "overload");
        }

        foreach (var response in await Task.WhenAll(first.Concat(queued)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_request_that_waits_out_the_queue_timeout_is_shed()
    {
        await Gateway.EditConfigAsync(Config, json =>
            json["Overload"] = JsonNode.Parse("""{ "Clusters": { "chaos": { "PermitLimit": 1, "QueueLimit": 5, "QueueTimeout": "00:00:00.200" } } }"""));
        var holder = Client.GetAsync(new Uri("/chaos/slow?ms=1800", UriKind.Relative));
        await Eventually.HoldsAsync(async () => await InUseAsync("chaos") == 1, "the permit in use");
        using (var waited = await Client.GetAsync(new Uri("/chaos/slow?ms=0", UriKind.Relative)))
        {
            await ProblemAssert.IsGatewayProblemAsync(waited, 503, "overload");
        }

        using var held = await holder;
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
    }

    [Fact]
    public async Task Removing_the_limit_live_forwards_everything()
    {
        await Gateway.EditConfigAsync(Config, json => json.Remove("Overload"));
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.GetAsync(new Uri("/chaos/slow?ms=300", UriKind.Relative))));
        Assert.All(burst, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var response in burst)
        {
            response.Dispose();
        }
    }

    private async Task<double> InUseAsync(string cluster) => await GaugeAsync("gateway_overload_permits_in_use", cluster);

    private async Task<double> QueuedAsync(string cluster) => await GaugeAsync("gateway_overload_queued", cluster);

    private async Task<double> GaugeAsync(string name, string cluster)
    {
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        return metrics.Sum(name, labels => labels["scope"] == "cluster" && labels["cluster"] == cluster);
    }
}
