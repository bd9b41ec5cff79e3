namespace Gateway.Admin;

/// <summary>
/// One replica's responses per 5-second bucket over the last five minutes, kept by the gateway itself so every tab and
/// every reload shows the same chart. Filled from successive readings of the replica's own counter: what grew since
/// the previous reading goes into the bucket of the reading's time (a reading a second, so at most a second late).
/// Buckets sit on whole steps of UTC time, so replicas' buckets add up slot by slot. Bounded: <see cref="Kept"/>
/// buckets, each holding only the classes, origins and routes that answered in it.
/// </summary>
internal sealed class ResponseHistory
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    /// <summary>Complete buckets shown: five minutes.</summary>
    public const int Window = 60;

    /// <summary>The window and the bucket filling now.</summary>
    public const int Kept = Window + 1;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, ResponseCounts> _buckets = [];

    /// <summary>The counter as last read: nothing before the first reading, so a replica's first answers are counted too.</summary>
    private ResponseCounts _read = ResponseCounts.Empty();

    public static long SlotOf(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeMilliseconds() / Step.TotalMilliseconds);

    public static DateTimeOffset StartOf(long slot) => DateTimeOffset.FromUnixTimeMilliseconds(slot * (long)Step.TotalMilliseconds);

    /// <summary>A reading of the cumulative counter: its growth since the last reading is counted at <paramref name="now"/>.</summary>
    public void Record(ResponseCounts cumulative, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (cumulative.Requests < _read.Requests)
            {
                return; // an older reading than the last one (the counter only grows): its answers are counted already
            }

            var growth = cumulative.Since(_read);
            _read = cumulative;
            Add(SlotOf(now), growth, now);
        }
    }

    /// <summary>Buckets an earlier run of this replica published (a restart keeps the replica's history).</summary>
    public void Seed(IEnumerable<HistoryBucket> buckets, DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var bucket in buckets)
            {
                Add(bucket.Slot, bucket.Counts, now);
            }
        }
    }

    /// <summary>The buckets that are not empty, oldest first: copies, to publish or to add up.</summary>
    public IReadOnlyList<HistoryBucket> Buckets(DateTimeOffset now)
    {
        lock (_lock)
        {
            Trim(SlotOf(now));
            return _buckets.Select(bucket => new HistoryBucket(bucket.Key, ResponseCounts.Empty().Plus(bucket.Value))).ToList();
        }
    }

    private void Add(long slot, ResponseCounts counts, DateTimeOffset now)
    {
        var current = SlotOf(now);
        if (counts.Requests <= 0 || slot <= current - Kept || slot > current)
        {
            return;
        }

        if (!_buckets.TryGetValue(slot, out var bucket))
        {
            _buckets[slot] = bucket = ResponseCounts.Empty();
        }

        bucket.Add(counts);
        Trim(current);
    }

    private void Trim(long current)
    {
        while (_buckets.Count > 0 && _buckets.First().Key <= current - Kept)
        {
            _buckets.Remove(_buckets.First().Key);
        }
    }
}
