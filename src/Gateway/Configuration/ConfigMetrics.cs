using Gateway.Utilities;
using Prometheus;

namespace Gateway.Configuration;

/// <summary>The config file's loads and the last one's result, read from <see cref="ConfigReloadStatus"/> just before each scrape.</summary>
internal sealed class ConfigMetrics(MetricsRegistry registry, ConfigReloadStatus reloads, ConfigSections sections)
{
    private readonly Counter _reloads = registry.Factory.CreateCounter("gateway_config_reloads_total",
        "Loads of the config file, by result (the first load at start counts).", new CounterConfiguration { LabelNames = ["result"] });

    private readonly Gauge _lastSuccess = registry.Factory.CreateGauge("gateway_config_last_reload_success",
        "1 when the last edit of the config file was applied, 0 when it was rejected (the last good config serves).");

    private readonly Gauge _lastTimestamp = registry.Factory.CreateGauge("gateway_config_last_reload_timestamp_seconds",
        "Unix time of the last load attempt of the config file.");

    private readonly Gauge _lastDuration = registry.Factory.CreateGauge("gateway_config_last_reload_duration_seconds",
        "Time the last edit of the config file took, from reading the file to applied or rejected (checks and apply included, the watcher's debounce not); 0 before the first edit.");

    private readonly Gauge _lastRejected = registry.Factory.CreateGauge("gateway_config_last_reload_rejected_info",
        "1 while the last edit of the config file is rejected, labelled with the top-level section its first error names (a fixed set; json: the file does not parse); no series while the last load applied.",
        new GaugeConfiguration { LabelNames = ["section"] });

    public void Register() => registry.Registry.AddBeforeCollectCallback(Update);

    private void Update()
    {
        _reloads.WithLabels("success").IncTo(reloads.Applied);
        _reloads.WithLabels("failure").IncTo(reloads.Rejected);
        if (reloads.Last is { } last)
        {
            _lastSuccess.Set(last.Succeeded ? 1 : 0);
            _lastTimestamp.Set(last.At.ToUnixTimeMilliseconds() / 1000d);
            if (last.Took is { } took)
            {
                _lastDuration.Set(took.TotalSeconds);
            }

            // The full text (which may name anything) stays in /healthz and the log; the series gets the bounded section.
            _lastRejected.SetAll(last.Succeeded ? [] : [([sections.Of(last.Errors)], 1d)]);
        }
    }
}
