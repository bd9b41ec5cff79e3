using System.Diagnostics;
using Gateway.Utilities;
using Prometheus;

namespace Gateway.Tests.Utilities;

public sealed class MetricsRegistryTests
{
    [Fact]
    public async Task A_removed_route_loses_its_series_in_every_per_route_collector_and_none_stays()
    {
        var metrics = new MetricsRegistry();
        var counter = metrics.PerRoute(metrics.Factory.CreateCounter("demo_total", "Demo.", new CounterConfiguration { LabelNames = ["route", "outcome"] }));
        var gauge = metrics.PerRoute(metrics.Factory.CreateGauge("demo_open", "Demo.", new GaugeConfiguration { LabelNames = ["route"] }));
        var unmarked = metrics.Factory.CreateCounter("demo_other_total", "Demo.", new CounterConfiguration { LabelNames = ["route"] });
        foreach (var route in new[] { "kept", "removed", "none" })
        {
            counter.WithLabels(route, "ok").Inc();
            gauge.WithLabels(route).Set(1);
            unmarked.WithLabels(route).Inc();
        }

        metrics.DropRemovedRoutes(new HashSet<string>(["kept"], StringComparer.Ordinal));

        Assert.Equal(["kept", "none"], counter.GetAllLabelValues().Select(labels => labels[0]).Order(StringComparer.Ordinal));
        Assert.Equal(["kept", "none"], gauge.GetAllLabelValues().Select(labels => labels[0]).Order(StringComparer.Ordinal));
        Assert.Equal(3, unmarked.GetAllLabelValues().Count());
        Assert.Contains("demo_total{route=\"kept\",outcome=\"ok\"} 1", await Exposition(metrics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instruments_carry_no_exemplar_even_inside_a_trace()
    {
        var metrics = new MetricsRegistry();
        var counter = metrics.Factory.CreateCounter("demo_total", "Demo.");
        using var source = new ActivitySource("MetricsRegistryTests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using (var span = source.StartActivity("request"))
        {
            Assert.NotNull(span);
            counter.Inc();
        }

        var text = await Exposition(metrics, openMetrics: true);
        Assert.Contains("demo_total 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("trace_id", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SetAll_sets_the_current_series_and_drops_the_rest()
    {
        var gauge = new MetricsRegistry().Factory.CreateGauge("demo_healthy", "Demo.", new GaugeConfiguration { LabelNames = ["cluster", "destination"] });
        gauge.SetAll([(["users", "a"], 1d), (["users", "b"], 0d)]);
        gauge.SetAll([(["users", "a"], 0d)]);

        var labels = Assert.Single(gauge.GetAllLabelValues());
        Assert.Equal(["users", "a"], labels);
        Assert.Equal(0, gauge.WithLabels(labels).Value);
    }

    private static async Task<string> Exposition(MetricsRegistry metrics, bool openMetrics = false)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream, openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
