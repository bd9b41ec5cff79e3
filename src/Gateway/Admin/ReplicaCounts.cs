using System.Text.Json;
using Gateway.Hosting;
using Gateway.Observability;
using Gateway.Store;
using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>
/// Whole-gateway numbers for the status page: every replica publishes its response counts to the shared store each
/// reconcile interval, and its last five minutes (<see cref="ResponseHistory"/>) once per 5-second bucket, and a
/// replica answering <c>/admin/status</c> sums the published ones, its own included, so every replica gives the same
/// numbers for the same moment (its live counts only before its first publish). A replica not heard from for three
/// intervals (at least 10 s) is left out of the totals and dropped from the store; its buckets stay in the history
/// until they are older than the window (the answers it gave did happen). A restarted replica takes its buckets back.
/// </summary>
internal sealed partial class ReplicaCounts(
    ISharedStore store, ObservabilityMetrics metrics, IOptions<GatewayOptions> gateway, IOptions<StoreOptions> options, TimeProvider clock,
    ILogger<ReplicaCounts> logger) : IReconciled
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ResponseHistory _history = new();
    private readonly Lock _sampling = new();
    private bool _seeded;
    private long _historyPublished = -1;

    public string Replica => gateway.Value.Replica;

    private TimeSpan StaleAfter => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, 3 * options.Value.ReconcileInterval.Ticks));

    /// <summary>How long a silent replica's buckets are still in the window.</summary>
    private TimeSpan ForgetAfter => StaleAfter + (ResponseHistory.Step * ResponseHistory.Kept);

    /// <summary>Reads this replica's counter into its history (every second, and before each publish and answer).</summary>
    public ResponseCounts Sample()
    {
        // Read and recorded as one step: an older reading recorded after a newer one would count the difference twice.
        lock (_sampling)
        {
            var counts = ResponseCounts.From(metrics);
            _history.Record(counts, clock.GetUtcNow());
            return counts;
        }
    }

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var counts = Sample();
        if (!store.IsShared)
        {
            return;
        }

        var now = clock.GetUtcNow();
        await store.SetFieldAsync(StoreKeys.ReplicaCounts, Replica, JsonSerializer.Serialize(new Published(now, counts), Json));
        if (!_seeded)
        {
            // What this replica published before a restart: its answers then stay in the chart.
            var published = await store.FieldsAsync(StoreKeys.ReplicaHistory);
            if (published.TryGetValue(Replica, out var json) && ParseHistory(Replica, json) is { } earlier)
            {
                _history.Seed(earlier.Buckets, now);
            }

            _seeded = true;
        }

        // Once a bucket: the buckets before this one are complete (a few KB each, so not every interval).
        var slot = ResponseHistory.SlotOf(now);
        if (slot != _historyPublished)
        {
            await store.SetFieldAsync(StoreKeys.ReplicaHistory, Replica, JsonSerializer.Serialize(new PublishedHistory(now, _history.Buckets(now)), Json));
            _historyPublished = slot;
        }
    }

    /// <summary>The sum over every replica seen, who they were, and the last five minutes; this replica's alone when the store is away.</summary>
    public async Task<(ResponseCounts Total, IReadOnlyList<ReplicaSeen> Replicas, bool Complete, StatusHistory History)> ReadAsync()
    {
        var own = Sample();
        var now = clock.GetUtcNow();
        var ownHistory = _history.Buckets(now);
        if (!store.IsShared)
        {
            return (own, [new ReplicaSeen(Replica, now, own.Requests, This: true)], true, StatusHistory.Sum([ownHistory], StatusHistory.CompleteEnd(now, [])));
        }

        try
        {
            var published = await store.FieldsAsync(StoreKeys.ReplicaCounts);
            var total = ResponseCounts.Empty();
            var seen = new List<ReplicaSeen>();
            foreach (var (name, json) in published)
            {
                if (Parse(name, json) is not { } other || now - other.At > StaleAfter)
                {
                    await store.RemoveFieldAsync(StoreKeys.ReplicaCounts, name);
                    continue;
                }

                total = total.Plus(other.Counts);
                seen.Add(new ReplicaSeen(name, other.At, other.Counts.Requests, This: name == Replica));
            }

            if (!seen.Any(replica => replica.This))
            {
                total = total.Plus(own);
                seen.Add(new ReplicaSeen(Replica, now, own.Requests, This: true));
            }

            var histories = new List<IReadOnlyList<HistoryBucket>> { ownHistory };
            var publishedAt = new List<DateTimeOffset>();
            foreach (var (name, json) in await store.FieldsAsync(StoreKeys.ReplicaHistory))
            {
                if (ParseHistory(name, json) is not { } other || now - other.At > ForgetAfter)
                {
                    await store.RemoveFieldAsync(StoreKeys.ReplicaHistory, name);
                }
                else if (name != Replica)
                {
                    histories.Add(other.Buckets);
                    if (seen.Any(replica => replica.Name == name))
                    {
                        publishedAt.Add(other.At);
                    }
                }
            }

            var history = StatusHistory.Sum(histories, StatusHistory.CompleteEnd(now, publishedAt));
            return (total, seen.OrderBy(replica => replica.Name, StringComparer.Ordinal).ToList(), true, history);
        }
        catch (StoreUnavailableException)
        {
            return (own, [new ReplicaSeen(Replica, now, own.Requests, This: true)], false, StatusHistory.Sum([ownHistory], StatusHistory.CompleteEnd(now, [])));
        }
    }

    private Published? Parse(string name, string json) => Read<Published>(name, json) is { Counts: not null } published ? published : null;

    private PublishedHistory? ParseHistory(string name, string json) => Read<PublishedHistory>(name, json) is { Buckets: not null } history ? history : null;

    private T? Read<T>(string name, string json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException ex)
        {
            Log.Unreadable(logger, LogText.Escape(name), ex.Message); // the name comes from the shared store
            return null;
        }
    }

    private sealed record Published(DateTimeOffset At, ResponseCounts Counts);

    private sealed record PublishedHistory(DateTimeOffset At, IReadOnlyList<HistoryBucket> Buckets);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ReplicaCountsUnreadable, Level = LogLevel.Warning, Message = "Dropped the unreadable published counts of replica {Replica}: {Reason}")]
        public static partial void Unreadable(ILogger logger, string replica, string reason);
    }
}
