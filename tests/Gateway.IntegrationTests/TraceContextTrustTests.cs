using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Whose trace context the gateway continues (issue 24, finding 6): a client that is not a trusted proxy starts no
/// trace of its own in the gateway and sends no <c>baggage</c> or <c>tracestate</c> upstream, unless
/// <c>Tracing:TrustClientTraceContext</c> says otherwise.
/// </summary>
public sealed class TraceContextTrustTests : PerTestGateway
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ClientTraceparent = $"00-{TraceId}-00f067aa0ba902b7-01";

    [Fact]
    public async Task A_public_clients_trace_context_and_baggage_do_not_reach_the_upstream()
    {
        var received = await SendTraceContextAsync();

        var traceparent = received["traceparent"].Split('-');
        Assert.NotEqual(TraceId, traceparent[1]);
        Assert.Matches("^[0-9a-f]{32}$", traceparent[1]);
        Assert.False(received.ContainsKey("baggage"), $"baggage reached the upstream: {received.GetValueOrDefault("baggage")}");
        Assert.False(received.ContainsKey("tracestate"), $"tracestate reached the upstream: {received.GetValueOrDefault("tracestate")}");
    }

    [Fact]
    public async Task A_public_client_does_not_choose_the_trace_id_of_a_gateway_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/route");
        request.Headers.Add("traceparent", ClientTraceparent);
        using var response = await Client.SendAsync(request);
        var problem = await ProblemAssert.IsGatewayProblemAsync(response, 404, "no_route");
        Assert.NotEqual(TraceId, problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task A_trusted_proxys_trace_context_is_continued()
    {
        await Gateway.EditConfigAsync(Config, json => json["Gateway"]!["TrustedProxies"] = new JsonArray("127.0.0.1"));
        AssertContinued(await SendTraceContextAsync());
    }

    [Fact]
    public async Task Always_continues_any_clients_trace_context()
    {
        await Gateway.EditConfigAsync(Config, json => TestConfig.Set(json, ["Tracing", "TrustClientTraceContext"], "Always"));
        AssertContinued(await SendTraceContextAsync());
    }

    [Fact]
    public async Task Never_ignores_even_a_trusted_proxys_trace_context()
    {
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["Gateway"]!["TrustedProxies"] = new JsonArray("127.0.0.1");
            TestConfig.Set(json, ["Tracing", "TrustClientTraceContext"], "Never");
        });

        var received = await SendTraceContextAsync();
        Assert.NotEqual(TraceId, received["traceparent"].Split('-')[1]);
        Assert.False(received.ContainsKey("baggage"));
    }

    private static void AssertContinued(Dictionary<string, string> received)
    {
        var traceparent = received["traceparent"].Split('-');
        Assert.Equal(TraceId, traceparent[1]);
        Assert.NotEqual("00f067aa0ba902b7", traceparent[2]);
        // The runtime's propagator writes baggage back as "key = value".
        Assert.Equal("role=admin", received["baggage"].Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("vendor=client", received["tracestate"]);
    }

    private async Task<Dictionary<string, string>> SendTraceContextAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/headers");
        request.Headers.Add("traceparent", ClientTraceparent);
        request.Headers.Add("tracestate", "vendor=client");
        request.Headers.Add("baggage", "role=admin");
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return new((await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!, StringComparer.OrdinalIgnoreCase);
    }
}
