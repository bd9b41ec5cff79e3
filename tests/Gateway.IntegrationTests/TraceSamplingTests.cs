using System.Net.Http.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// Head sampling (<c>Tracing:SampleRatio</c>, issue 28): the share of the traces the gateway starts that are recorded,
/// parent-based, applied live. An unsampled request keeps its trace id (upstream traceparent flags 00, problem traceId).
/// </summary>
[Collection(AloneInProcess.Name)]
public sealed class TraceSamplingTests : PerTestGateway
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task By_default_every_trace_the_gateway_starts_is_sampled()
    {
        var (_, flags) = await ForwardedTraceparentAsync();
        Assert.Equal("01", flags);
    }

    [Fact]
    public async Task At_ratio_0_requests_are_not_sampled_but_keep_a_trace_id_upstream_and_in_problems()
    {
        await SetRatioAsync(0);

        var (traceId, flags) = await ForwardedTraceparentAsync();
        Assert.Equal("00", flags);
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.NotEqual(new string('0', 32), traceId);

        using var problem = await Client.GetAsync(new Uri("/no/such/route", UriKind.Relative));
        var body = await ProblemAssert.IsGatewayProblemAsync(problem, 404, "no_route");
        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task At_ratio_one_half_some_traces_are_sampled_and_some_are_not()
    {
        await SetRatioAsync(0.5);

        var flags = new HashSet<string>();
        for (var i = 0; i < 64 && flags.Count < 2; i++)
        {
            flags.Add((await ForwardedTraceparentAsync()).Flags);
        }

        Assert.Equal(["00", "01"], flags.Order());
    }

    [Theory]
    [InlineData(0.0, "01")]
    [InlineData(1.0, "00")]
    public async Task A_trusted_parent_keeps_its_own_sampling_decision(double ratio, string parentFlags)
    {
        await Gateway.EditConfigAsync(Config, json =>
        {
            TestConfig.Set(json, ["Tracing", "TrustClientTraceContext"], "Always");
            TestConfig.Set(json, ["Tracing", "SampleRatio"], ratio);
        });

        var (traceId, flags) = await ForwardedTraceparentAsync($"00-{TraceId}-00f067aa0ba902b7-{parentFlags}");
        Assert.Equal(TraceId, traceId);
        Assert.Equal(parentFlags, flags);
    }

    [Fact]
    public async Task An_untrusted_clients_sampled_flag_does_not_decide()
    {
        await SetRatioAsync(0);

        var (traceId, flags) = await ForwardedTraceparentAsync($"00-{TraceId}-00f067aa0ba902b7-01");
        Assert.NotEqual(TraceId, traceId);
        Assert.Equal("00", flags);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("NaN")] // the binder parses it as a double
    public async Task A_ratio_outside_0_to_1_is_rejected_naming_the_key_and_the_last_good_ratio_keeps_serving(string ratio)
    {
        await SetRatioAsync(0);
        Config.Edit(json => TestConfig.Set(json, ["Tracing", "SampleRatio"], ratio));
        await Eventually.HoldsAsync(async () => (await Gateway.ReloadCountsAsync()).Rejected > 0, "the edit is rejected");

        var (_, _, last) = await Gateway.ReloadCountsAsync();
        Assert.Contains("Tracing:SampleRatio", last.ToString(), StringComparison.Ordinal);
        Assert.Equal("00", (await ForwardedTraceparentAsync()).Flags);
    }

    private Task SetRatioAsync(double ratio) =>
        Gateway.EditConfigAsync(Config, json => TestConfig.Set(json, ["Tracing", "SampleRatio"], ratio));

    /// <summary>The trace id and flags of the traceparent the upstream received.</summary>
    private async Task<(string TraceId, string Flags)> ForwardedTraceparentAsync(string? clientTraceparent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/chaos/headers");
        if (clientTraceparent is not null)
        {
            request.Headers.Add("traceparent", clientTraceparent);
        }

        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var headers = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        var parts = new Dictionary<string, string>(headers!, StringComparer.OrdinalIgnoreCase)["traceparent"].Split('-');
        return (parts[1], parts[3]);
    }
}
