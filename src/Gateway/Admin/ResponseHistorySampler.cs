using Microsoft.Extensions.Hosting;

namespace Gateway.Admin;

/// <summary>
/// Reads this replica's counter into its <see cref="ResponseHistory"/> every second, whatever the store's reconcile
/// interval: an answer is then counted in its own 5-second bucket or, at most a second late, the next one.
/// </summary>
internal sealed class ResponseHistorySampler(ReplicaCounts counts, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                counts.Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
