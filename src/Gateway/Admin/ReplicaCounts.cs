using System.Text.Json;
using Gateway.Hosting;
using Gateway.Observability;
using Gateway.Store;
using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>
/// Whole-gateway numbers for the status page: every replica publishes its response counts and its last five minutes
/// (<see cref="ResponseHistory"/>) to the shared store each reconcile interval, and a replica answering
/// <c>/admin/status</c> sums the published ones, its own included, so every replica gives the same total for the same
/// moment (its live counts only before its first publish). A replica not heard from for three intervals (at least
/// 10 s) is left out of the totals; its buckets stay in the history until they are older than the window (the answers
/// it gave did happen), then it is dropped from the store. A restarted replica takes its published buckets back.
/// </summary>
internal sealed partial class ReplicaCounts(
    ISharedStore store, GatewayMetrics metrics, IOptions<GatewayOptions> gateway, IOptions<StoreOptions> options, TimeProvider clock,
    ILogger<ReplicaCounts> logger) : IReconciled
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ResponseHistory _history = new();
    private bool _seeded;

    public string Replica => gateway.Value.Replica;

    private TimeSpan StaleAfter => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, 3 * options.Value.ReconcileInterval.Ticks));

    /// <summary>How long a silent replica's buckets are still in the window.</summary>
    private TimeSpan ForgetAfter => StaleAfter + (ResponseHistory.Step * ResponseHistory.Kept);

    /// <summary>Reads this replica's counter into its history (every second, and before each publish and answer).</summary>
    public ResponseCounts Sample()
    {
        var counts = ResponseCounts.From(metrics);
        _history.Record(counts, clock.GetUtcNow());
        return counts;
    }

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var counts = Sample();
        if (!store.IsShared)
        {
            return;
        }

        if (!_seeded)
        {
            // What this replica published before a restart: its answers then stay in the chart.
            var published = await store.FieldsAsync(StoreKeys.ReplicaCounts);
            if (published.TryGetValue(Replica, out var json) && Parse(Replica, json) is { History: { } earlier })
            {
                _history.Seed(earlier, clock.GetUtcNow());
            }

            _seeded = true;
        }

        var now = clock.GetUtcNow();
        await store.SetFieldAsync(StoreKeys.ReplicaCounts, Replica, JsonSerializer.Serialize(new Published(now, counts, _history.Buckets(now)), Json));
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
            var histories = new List<IReadOnlyList<HistoryBucket>> { ownHistory };
            var publishedAt = new List<DateTimeOffset>();
            foreach (var (name, json) in published)
            {
                var other = Parse(name, json);
                if (other is null || now - other.At > ForgetAfter)
                {
                    await store.RemoveFieldAsync(StoreKeys.ReplicaCounts, name);
                    continue;
                }

                if (name != Replica)
                {
                    // An older replica publishes no history: it is in the totals, not in the chart.
                    histories.Add(other.History ?? []);
                }

                if (now - other.At > StaleAfter)
                {
                    continue;
                }

                total = total.Plus(other.Counts);
                seen.Add(new ReplicaSeen(name, other.At, other.Counts.Requests, This: name == Replica));
                if (name != Replica)
                {
                    publishedAt.Add(other.At);
                }
            }

            if (!seen.Any(replica => replica.This))
            {
                total = total.Plus(own);
                seen.Add(new ReplicaSeen(Replica, now, own.Requests, This: true));
            }

            var history = StatusHistory.Sum(histories, StatusHistory.CompleteEnd(now, publishedAt));
            return (total, seen.OrderBy(replica => replica.Name, StringComparer.Ordinal).ToList(), true, history);
        }
        catch (StoreUnavailableException)
        {
            return (own, [new ReplicaSeen(Replica, now, own.Requests, This: true)], false, StatusHistory.Sum([ownHistory], StatusHistory.CompleteEnd(now, [])));
        }
    }

    private Published? Parse(string name, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Published>(json, Json) is { Counts: not null } published ? published : null;
        }
        catch (JsonException ex)
        {
            Log.Unreadable(logger, LogText.Escape(name), ex.Message); // the name comes from the shared store
            return null;
        }
    }

    /// <summary>What a replica publishes; <paramref name="History"/> is null from a replica older than the history.</summary>
    private sealed record Published(DateTimeOffset At, ResponseCounts Counts, IReadOnlyList<HistoryBucket>? History = null);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ReplicaCountsUnreadable, Level = LogLevel.Warning, Message = "Dropped the unreadable published counts of replica {Replica}: {Reason}")]
        public static partial void Unreadable(ILogger logger, string replica, string reason);
    }
}
