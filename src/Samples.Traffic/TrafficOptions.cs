using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Samples.Traffic;

/// <summary>How the generator runs. <see cref="FromConfiguration"/> reads them from command line or environment.</summary>
public sealed class TrafficOptions
{
    /// <summary>The gateway's public base URL.</summary>
    public Uri Gateway { get; set; } = new("http://localhost:8080");

    /// <summary>Base URL for gRPC calls to the gRPC sample's route (https for h2 by ALPN, http for h2c); null: no gRPC calls.</summary>
    public Uri? GrpcGateway { get; set; }

    /// <summary>Accept any certificate from <see cref="GrpcGateway"/>: only for the demo's self-signed one.</summary>
    public bool GrpcInsecure { get; set; }

    /// <summary>Picks per second; null: the scenario's <see cref="Scenario.RatePerSecond"/>.</summary>
    public double? RatePerSecond { get; set; }

    /// <summary>Stop sending after this long and let in-flight requests finish; null: until cancelled.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Scenario file; null: the bundled scenarios/default.json next to the binary. Ignored when <see cref="Scenario"/> is set.</summary>
    public string? ScenarioPath { get; set; }

    /// <summary>A scenario built in code (wins over <see cref="ScenarioPath"/>).</summary>
    public Scenario? Scenario { get; set; }

    /// <summary>Where the start line, the periodic summaries and the total go; null: nowhere.</summary>
    public TextWriter? Output { get; set; }

    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>False: no line per interval, only the start line and the total (for a host that prints its own summary, as the demo does).</summary>
    public bool Summaries { get; set; } = true;

    /// <summary>False: the steady mix only.</summary>
    public bool Incidents { get; set; } = true;

    /// <summary>Scenario seconds per real second for the incident schedule (60: a 10-minute cycle takes 10 s).</summary>
    public double IncidentTimeScale { get; set; } = 1;

    /// <summary>Picks running at once (each has at most one request in flight).</summary>
    public int MaxInFlight { get; set; } = 32;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where to serve GET /metrics (the incidents, for Prometheus' annotations), e.g. http://0.0.0.0:5010; null: no listener.</summary>
    public string? Urls { get; set; }

    /// <summary>After <see cref="Duration"/>, how long in-flight requests may take before they are cancelled.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reads Gateway, GrpcGateway, GrpcInsecure, Rate, Duration (seconds, "90s", "5m", "1h" or hh:mm:ss), Scenario, SummaryInterval (seconds),
    /// Incidents (true/false), IncidentTimeScale, MaxInFlight and Urls. Unset keys keep their defaults.
    /// </summary>
    public static TrafficOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new TrafficOptions();
        if (configuration["Gateway"] is { Length: > 0 } gateway)
        {
            if (!Uri.TryCreate(gateway, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new FormatException($"Gateway must be an absolute http(s) URL such as http://localhost:8080 (was '{gateway}').");
            }

            options.Gateway = url;
        }

        if (configuration["GrpcGateway"] is { Length: > 0 } grpc)
        {
            options.GrpcGateway = Uri.TryCreate(grpc, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw new FormatException($"GrpcGateway must be an absolute http(s) URL such as https://localhost:8443 (was '{grpc}').");
        }

        if (configuration["GrpcInsecure"] is { Length: > 0 } insecure)
        {
            options.GrpcInsecure = bool.TryParse(insecure, out var any) ? any
                : throw new FormatException($"GrpcInsecure must be true or false (was '{insecure}').");
        }

        options.RatePerSecond = Number(configuration, "Rate");
        if (configuration["Duration"] is { Length: > 0 } duration)
        {
            options.Duration = ParseDuration(duration, "Duration");
        }

        if (configuration["Scenario"] is { Length: > 0 } scenario)
        {
            options.ScenarioPath = scenario;
        }

        if (Number(configuration, "SummaryInterval") is { } interval)
        {
            options.SummaryInterval = TimeSpan.FromSeconds(interval);
        }

        if (configuration["Incidents"] is { Length: > 0 } incidents)
        {
            options.Incidents = bool.TryParse(incidents, out var on) ? on
                : throw new FormatException($"Incidents must be true or false (was '{incidents}').");
        }

        if (Number(configuration, "IncidentTimeScale") is { } scale)
        {
            options.IncidentTimeScale = scale;
        }

        if (configuration["Urls"] is { Length: > 0 } urls)
        {
            options.Urls = urls;
        }

        if (Number(configuration, "MaxInFlight") is { } maxInFlight)
        {
            options.MaxInFlight = (int)maxInFlight;
        }

        options.Validate();
        return options;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the option that cannot work.</summary>
    public void Validate()
    {
        if (Gateway is null || !Gateway.IsAbsoluteUri)
        {
            throw new ArgumentException("Gateway must be an absolute URL.", nameof(Gateway));
        }

        if (GrpcGateway is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("GrpcGateway must be an absolute URL.", nameof(GrpcGateway));
        }

        if (RatePerSecond is { } rate && !(rate > 0 && rate <= 10_000))
        {
            throw new ArgumentException("Rate must be more than 0 and at most 10000 per second.", nameof(RatePerSecond));
        }

        if (Duration is { } duration && duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("Duration must be positive.", nameof(Duration));
        }

        if (SummaryInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("SummaryInterval must be positive.", nameof(SummaryInterval));
        }

        if (!(IncidentTimeScale > 0) || double.IsInfinity(IncidentTimeScale))
        {
            throw new ArgumentException("IncidentTimeScale must be a positive number.", nameof(IncidentTimeScale));
        }

        if (MaxInFlight is < 1 or > 1024)
        {
            throw new ArgumentException("MaxInFlight must be between 1 and 1024.", nameof(MaxInFlight));
        }

        if (RequestTimeout <= TimeSpan.Zero || DrainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("RequestTimeout must be positive and DrainTimeout not negative.", nameof(RequestTimeout));
        }
    }

    private static double? Number(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw new FormatException($"{key} must be a number (was '{text}').")
            : null;

    private static TimeSpan ParseDuration(string text, string key)
    {
        var unit = text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var number = unit == 0 ? text : text[..^1];
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return TimeSpan.FromSeconds(value * Math.Max(unit, 1));
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new FormatException($"{key} must be seconds, a number with s/m/h, or hh:mm:ss (was '{text}').");
    }
}
