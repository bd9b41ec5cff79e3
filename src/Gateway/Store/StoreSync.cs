using System.Diagnostics;
using Gateway.Utilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Store;

/// <summary>
/// Keeps this replica's copy of the shared state current: once before the gateway serves, then on every change message
/// and every reconcile interval (so a lost message, a restart or the store's return heal within one interval).
/// </summary>
internal sealed partial class StoreSync(
    ISharedStore store, IEnumerable<IReconciled> targets, IOptions<StoreOptions> options, ILogger<StoreSync> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>How long a starting replica waits for the store before it serves with the file's state alone.</summary>
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(3);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Changed += OnChanged;
        // The connection is still being made when the host starts (and commands fail fast meanwhile): retry the first
        // read for a moment, so a restarted replica serves the shared state from its first request.
        var waited = Stopwatch.StartNew();
        while (!await ReconcileAsync(cancellationToken) && waited.Elapsed < StartWait)
        {
            await Task.Delay(100, cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        store.Changed -= OnChanged;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ReconcileInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ReconcileAsync(stoppingToken);
        }
    }

    /// <summary>False when the store could not be reached (the last known state stays).</summary>
    private async Task<bool> ReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.EnsureSubscribedAsync();

            foreach (var target in targets)
            {
                await target.ReconcileAsync(cancellationToken);
            }

            return true;
        }
        catch (StoreUnavailableException)
        {
            // Logged once per outage by the store; the last known state stays in force.
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ReconcileFailed(logger, ex);
            return true;
        }
    }

    private void OnChanged()
    {
        // At most one wake-up pending: a burst of messages is one reconcile.
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.StoreReconcileFailed, Level = LogLevel.Error, Message = "Reconciling with the shared store failed")]
        public static partial void ReconcileFailed(ILogger logger, Exception exception);
    }
}
