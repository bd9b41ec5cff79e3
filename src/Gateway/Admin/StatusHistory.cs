namespace Gateway.Admin;

/// <summary>
/// The whole gateway's last five minutes: every replica's buckets added up slot by slot, the
/// <see cref="ResponseHistory.Window"/> complete ones ending at <see cref="End"/>, oldest first (empty where nobody answered).
/// </summary>
internal sealed class StatusHistory
{
    /// <summary>A route's verdict looks at the last minute, or at the whole window while the last minute has fewer answers than this.</summary>
    public const int RecentEnough = 10;

    private static readonly int MinuteBuckets = (int)(TimeSpan.FromMinutes(1) / ResponseHistory.Step);

    private StatusHistory(long end, ResponseCounts[] buckets)
    {
        End = end;
        Buckets = buckets;
        Total = buckets.Aggregate(ResponseCounts.Empty(), (sum, bucket) => sum.Plus(bucket));
    }

    /// <summary>The newest complete slot.</summary>
    public long End { get; }

    public IReadOnlyList<ResponseCounts> Buckets { get; }

    /// <summary>Everything in the window.</summary>
    public ResponseCounts Total { get; }

    /// <summary>The newest complete bucket: the one rate the page shows ("now") is this bucket's count over its 5 s.</summary>
    public ResponseCounts Newest => Buckets[^1];

    public DateTimeOffset From => ResponseHistory.StartOf(End - ResponseHistory.Window + 1);

    public DateTimeOffset To => ResponseHistory.StartOf(End + 1);

    public static StatusHistory Sum(IEnumerable<IReadOnlyList<HistoryBucket>> replicas, long end)
    {
        var buckets = Enumerable.Range(0, ResponseHistory.Window).Select(_ => ResponseCounts.Empty()).ToArray();
        var first = end - ResponseHistory.Window + 1;
        foreach (var bucket in replicas.SelectMany(replica => replica).Where(bucket => bucket.Slot >= first && bucket.Slot <= end))
        {
            buckets[bucket.Slot - first].Add(bucket.Counts);
        }

        return new StatusHistory(end, buckets);
    }

    /// <summary>
    /// The newest complete slot every replica has published: now's previous one, unless a replica last published before
    /// that (its bucket there may still be filling); never more than two steps behind now's.
    /// </summary>
    public static long CompleteEnd(DateTimeOffset now, IEnumerable<DateTimeOffset> published)
    {
        var current = ResponseHistory.SlotOf(now);
        var end = published.Select(at => ResponseHistory.SlotOf(at) - 1).Append(current - 1).Min();
        return Math.Max(end, current - 3);
    }

    /// <summary>A route's answers over the last minute, or over the window while the last minute had fewer than <see cref="RecentEnough"/>.</summary>
    public (RouteCounts Counts, TimeSpan Over) Recent(string route)
    {
        var minute = Over(route, MinuteBuckets);
        return minute.Served >= RecentEnough ? (minute, TimeSpan.FromMinutes(1)) : (Over(route, ResponseHistory.Window), ResponseHistory.Step * ResponseHistory.Window);
    }

    private RouteCounts Over(string route, int buckets) => Buckets.Skip(Buckets.Count - buckets)
        .Select(bucket => bucket.ByRoute.GetValueOrDefault(route))
        .Aggregate(new RouteCounts(0, 0), (sum, counts) => counts is null ? sum
            : new RouteCounts(sum.Requests + counts.Requests, sum.Errors + counts.Errors, sum.Maintenance + counts.Maintenance));
}
