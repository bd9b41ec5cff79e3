using System.Globalization;
using Gateway.Observability;

namespace Demo;

/// <summary>Every interval, one line of what the gateway answered in it (<see cref="ResponseSummary"/>); nothing for an interval without requests.</summary>
public sealed class ConsoleSummary(ObservabilityMetrics metrics)
{
    private ResponseSummary _previous = ResponseSummary.Read(metrics);

    /// <summary>The line for the responses since the last call (or since this was made), or null when there were none.</summary>
    public string? NextLine()
    {
        var now = ResponseSummary.Read(metrics);
        var interval = now.Since(_previous);
        _previous = now;
        return interval.Total == 0
            ? null
            : $"{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {interval}";
    }

    /// <summary>Writes a line every <paramref name="interval"/> until <paramref name="stop"/>; completes normally then.</summary>
    public async Task RunAsync(TextWriter output, TimeSpan interval, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (NextLine() is { } line)
                {
                    await output.WriteLineAsync(line);
                    await output.FlushAsync(CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
