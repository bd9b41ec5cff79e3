using Gateway.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Demo;

/// <summary>
/// What the demo's console shows by default: its banner, once everything listens, and one summary line every 10 s
/// (<see cref="ConsoleSummary"/>); warnings and errors as always. The demo runs four apps in one process, so the
/// framework's per-app start lines are left out, and so are the per-request lines (the access log, and the warning that
/// stands in for it on a gateway-made 502/503/504) unless asked for with <see cref="AccessLogSwitch"/>.
/// </summary>
public static class DemoConsole
{
    /// <summary>The command-line switch that turns the access log on in the demo (the root config's AccessLog section then applies).</summary>
    public const string AccessLogSwitch = "--access-log";

    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The demo's defaults, above the config file (which compose and Gateway.Host read as it is) and below the environment
    /// and command line, so <c>--AccessLog:Enabled=true</c> or <c>AccessLog__Enabled=true</c> turn the access log on too.
    /// Call after AddGateway (which puts the config file in place).
    /// </summary>
    public static WebApplicationBuilder AddDemoConsole(this WebApplicationBuilder builder, bool accessLog)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var defaults = new Dictionary<string, string?>
        {
            // "Now listening" twice, "Application started": the banner says it, after both listeners are up.
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
        if (!accessLog)
        {
            defaults["AccessLog:Enabled"] = "false";
            // Without an access line, a gateway-made 502/503/504 is logged as this warning: per request too.
            defaults["Logging:LogLevel:Gateway.Forwarding.UpstreamFailureMiddleware"] = "Error";
        }

        var sources = builder.Configuration.Sources;
        var file = sources.OfType<ConfigFileSource>().Single();
        sources.Insert(sources.IndexOf(file) + 1, new MemoryConfigurationSource { InitialData = defaults });
        return builder;
    }
}
