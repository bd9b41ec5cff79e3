using Microsoft.Extensions.Configuration;

namespace Samples.Traffic;

/// <summary>The command line: options from arguments and TRAFFIC_* environment variables, errors as one line.</summary>
public static class TrafficCli
{
    public const string Usage = """
        Samples.Traffic: scenario-driven traffic for the gateway.
          --Gateway <url>            gateway base URL (default http://localhost:8080)      env TRAFFIC_GATEWAY
          --GrpcGateway <url>        gRPC calls to the gRPC sample route (default: none)   env TRAFFIC_GRPCGATEWAY
          --GrpcInsecure true        accept any certificate there (self-signed demo only)  env TRAFFIC_GRPCINSECURE
          --Rate <n>                 picks per second (default: the scenario's)            env TRAFFIC_RATE
          --Duration <t>             30, 90s, 5m, 1h or hh:mm:ss (default: until Ctrl+C)   env TRAFFIC_DURATION
          --Scenario <file>          scenario JSON (default: scenarios/default.json)       env TRAFFIC_SCENARIO
          --SummaryInterval <s>      seconds between summary lines (default 5)            env TRAFFIC_SUMMARYINTERVAL
          --IncidentTimeScale <x>    incident clock speed-up, e.g. 60 (default 1)          env TRAFFIC_INCIDENTTIMESCALE
          --Incidents false | --no-incidents   the steady mix only                        env TRAFFIC_INCIDENTS
          --MaxInFlight <n>          concurrent picks (default 32)                         env TRAFFIC_MAXINFLIGHT
          --urls <url>               serve GET /metrics (incidents) here (default: none)   env TRAFFIC_URLS
        """;

    /// <summary>Runs until <paramref name="cancellationToken"/> or the duration; 0 on success, 2 on bad options or scenario.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(arg => arg is "--help" or "-h" or "-?"))
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        TrafficGenerator generator;
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddEnvironmentVariables("TRAFFIC_")
                .AddCommandLine([.. args.Where(arg => arg != "--no-incidents")])
                .Build();
            var options = TrafficOptions.FromConfiguration(configuration);
            if (args.Contains("--no-incidents"))
            {
                options.Incidents = false;
            }

            options.Output = output;
            generator = new TrafficGenerator(options);
        }
        catch (Exception e) when (e is ScenarioException or FormatException or ArgumentException)
        {
            await error.WriteLineAsync($"traffic: {e.Message}").ConfigureAwait(false);
            await error.WriteLineAsync("(--help lists the options)").ConfigureAwait(false);
            return 2;
        }

        await generator.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
