using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Demo;
using Gateway.Hosting;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests;

/// <summary>
/// The demo's console as a user reads it: the gateway with the demo's console settings (src/Demo/DemoConsole) and the
/// framework's real console logger, whose output is captured. The demo writes its banner once StartAsync has returned
/// (both listeners up); the framework's own start lines, which came between, are not on the console at all.
/// </summary>
public sealed partial class DemoConsoleTests
{
    private const string Banner = "Gateway demo is running";

    [Fact]
    public async Task By_default_the_console_has_the_banner_no_start_lines_no_line_per_request_and_one_summary_line()
    {
        await using var demo = await ConsoleDemo.StartAsync(accessLog: false);
        var summary = new ConsoleSummary(demo.Services.GetRequiredService<ObservabilityMetrics>());
        Assert.Null(summary.NextLine()); // nothing answered yet: no line

        await demo.SendMixAsync();

        var text = await demo.ConsoleAfterEverythingLoggedAsync();
        Assert.Contains(Banner, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Application started", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway.AccessLog", text, StringComparison.Ordinal);
        Assert.DoesNotContain("UpstreamFailureMiddleware", text, StringComparison.Ordinal);
        Assert.Matches(@"^\d\d:\d\d:\d\d  2xx 2 · 4xx 3 \(no_route 2, upstream 1\) · 5xx 1 \(unreachable 1\)$", summary.NextLine());
        Assert.Null(summary.NextLine());
    }

    [Fact]
    public async Task The_summary_runs_on_its_own_and_writes_a_line_only_for_an_interval_with_responses()
    {
        await using var demo = await ConsoleDemo.StartAsync(accessLog: false);
        var output = new CapturedConsole();
        using var stop = new CancellationTokenSource();
        var summary = new ConsoleSummary(demo.Services.GetRequiredService<ObservabilityMetrics>()).RunAsync(output, TimeSpan.FromMilliseconds(50), stop.Token);

        await demo.SendMixAsync();
        // Every response is in exactly one line.
        await Eventually.HoldsAsync(() => Task.FromResult(Responses(Lines()) == 6), () => $"6 responses in the lines so far:\n{output.Text}");
        await stop.CancelAsync();
        await summary;

        // Each line has the summary's form: none for an interval without responses.
        Assert.All(Lines(), line => Assert.Matches(SummaryLine(), line));
        Assert.Equal(6, Responses(Lines()));

        string[] Lines() => output.Text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        static int Responses(string[] lines) => lines.Sum(line => ClassCount().Matches(line).Sum(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d  [1-5]xx \d+( \([a-z_]+ \d+(, [a-z_]+ \d+)*\))?( · [1-5]xx \d+( \([a-z_]+ \d+(, [a-z_]+ \d+)*\))?)*$")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"[1-5]xx (\d+)")]
    private static partial Regex ClassCount();

    [Theory]
    [InlineData(true)] // --access-log
    [InlineData(false, "--AccessLog:Enabled=true")] // the config key, on the command line (or AccessLog__Enabled in the environment)
    public async Task Asked_for_the_access_log_writes_a_line_per_error_response_and_a_gateway_made_502_once(bool accessLog, params string[] args)
    {
        await using var demo = await ConsoleDemo.StartAsync(accessLog, args);

        await demo.SendMixAsync();

        var lines = (await demo.ConsoleAfterEverythingLoggedAsync()).Split('\n');
        Assert.Equal(4, lines.Count(line => line.Contains("Gateway.AccessLog", StringComparison.Ordinal))); // the root config logs 400 and up
        Assert.Contains(lines, line => line.Contains("/unreachable/x 502 5xx unreachable", StringComparison.Ordinal) && line.Contains(" error=Request reason=", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("UpstreamFailureMiddleware", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("Now listening", StringComparison.Ordinal));
    }

    /// <summary>The root config's gateway, started as the demo starts it, with the console logger writing into <see cref="CapturedConsole"/>.</summary>
    private sealed class ConsoleDemo(Upstreams upstreams, TestConfig config, WebApplication app, CapturedConsole console) : IAsyncDisposable
    {
        private static readonly SemaphoreSlim ConsoleGate = new(1);

        public IServiceProvider Services => app.Services;

        public static async Task<ConsoleDemo> StartAsync(bool accessLog, params string[] args)
        {
            var upstreams = new Upstreams();
            await upstreams.InitializeAsync();
            var config = TestConfig.FromRoot(upstreams);
            var console = new CapturedConsole();
            var builder = WebApplication.CreateSlimBuilder([
                $"--Gateway:ConfigFile={config.Path}", "--Gateway:Urls:Public=http://127.0.0.1:0", "--Gateway:Urls:Admin=http://127.0.0.1:0",
                $"--{DemoSecrets.DemoModeKey}=true", .. args]);
            builder.AddGateway();
            builder.AddDemoConsole(accessLog);
            WebApplication app;
            // The console logger takes Console.Out when it is made: only for that moment is it this test's writer.
            await ConsoleGate.WaitAsync();
            var original = Console.Out;
            try
            {
                Console.SetOut(console);
                app = builder.Build();
                app.UseGateway();
                await app.StartAsync();
            }
            finally
            {
                Console.SetOut(original);
                ConsoleGate.Release();
            }

            // What src/Demo/Program.cs does once StartAsync has returned.
            var listeners = app.Services.GetRequiredService<GatewayListeners>();
            await console.WriteLineAsync($"{Banner} (Ctrl+C stops everything)\n  public gateway   {listeners.PublicUrl}");
            return new ConsoleDemo(upstreams, config, app, console);
        }

        /// <summary>2 x 200 and a 404 from the users API, 2 x 404 no_route and a 502 unreachable.</summary>
        public async Task SendMixAsync()
        {
            using var client = GatewayInstance.CreateClient(app.Services.GetRequiredService<GatewayListeners>().PublicUrl);
            foreach (var (path, status) in new[] { ("/api/users/1", 200), ("/api/users/2", 200), ("/api/users/999", 404), ("/no/such/route", 404), ("/nor/this", 404), ("/unreachable/x", 502) })
            {
                Assert.Equal(status, await client.StatusAsync(path));
            }
        }

        /// <summary>The console's text once every entry logged so far is printed (the console logger writes them in order, on its own thread).</summary>
        public async Task<string> ConsoleAfterEverythingLoggedAsync()
        {
            var marker = $"console-barrier-{Guid.NewGuid():N}";
#pragma warning disable CA1848, CA2254 // a test's one-off marker
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test").LogWarning(marker);
#pragma warning restore CA1848, CA2254
            await Eventually.HoldsAsync(() => Task.FromResult(console.Text.Contains(marker, StringComparison.Ordinal)), "the console logger caught up");
            return console.Text;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await upstreams.DisposeAsync();
            config.Dispose();
        }
    }

    /// <summary>A console stand-in several threads may write to while the test reads it.</summary>
    private sealed class CapturedConsole : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_gate)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                _text.Append(value);
            }
        }
    }
}
