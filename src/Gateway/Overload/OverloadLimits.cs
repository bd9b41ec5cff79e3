using Microsoft.Extensions.Options;

namespace Gateway.Overload;

/// <summary>
/// The limits in force, rebuilt when the section changes. A limit whose settings did not change keeps its limiter
/// (and the requests holding its permits); a replaced one is left to the requests still holding it.
/// </summary>
internal sealed class OverloadLimits : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile Snapshot _current = Snapshot.Empty;

    public OverloadLimits(IOptionsMonitor<OverloadOptions> settings, OverloadMetrics metrics)
    {
        Rebuild(settings.CurrentValue);
        _subscription = settings.OnChange(Rebuild);
        metrics.Register(() => _current.All);
    }

    public Snapshot Current => _current;

    public void Dispose() => _subscription?.Dispose();

    private void Rebuild(OverloadOptions settings)
    {
        var previous = _current;
        var gateway = settings.Gateway is null ? null
            : previous.Gateway?.Settings == settings.Gateway ? previous.Gateway : new ConcurrencyLimit("gateway", null, settings.Gateway);
        var clusters = new Dictionary<string, ConcurrencyLimit>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, limit) in settings.Clusters)
        {
            clusters[id] = previous.Clusters.TryGetValue(id, out var kept) && kept.Settings == limit ? kept : new ConcurrencyLimit("cluster", id, limit);
        }

        _current = new Snapshot(gateway, clusters);
    }

    internal sealed record Snapshot(ConcurrencyLimit? Gateway, Dictionary<string, ConcurrencyLimit> Clusters)
    {
        public static readonly Snapshot Empty = new(null, new Dictionary<string, ConcurrencyLimit>());

        public IEnumerable<ConcurrencyLimit> All => Gateway is null ? Clusters.Values : Clusters.Values.Prepend(Gateway);
    }
}
