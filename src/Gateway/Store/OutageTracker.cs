namespace Gateway.Store;

/// <summary>
/// One outage of a remote store at a time, without locks: the first failure opens it (once, however many requests fail
/// together, so it is logged once), the next success closes it. The common path, a success with no outage, writes nothing.
/// </summary>
internal sealed class OutageTracker(TimeProvider clock)
{
    private StoreOutage? _outage;

    public StoreOutage? Current => Volatile.Read(ref _outage);

    /// <summary>True for the failure that opened the outage (log it); false while one is already open.</summary>
    public bool Failed(Exception ex) =>
        Volatile.Read(ref _outage) is null
        && Interlocked.CompareExchange(ref _outage, new StoreOutage(clock.GetUtcNow(), ex.GetType().Name), null) is null;

    /// <summary>The outage this success ended (log it), or null when there was none or another caller ended it.</summary>
    public StoreOutage? Succeeded() =>
        Volatile.Read(ref _outage) is { } ended && Interlocked.CompareExchange(ref _outage, null, ended) == ended ? ended : null;
}
