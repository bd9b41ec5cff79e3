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
/// reconcile interval, and a replica answering <c>/admin/status</c> sums the published ones, its own included, so every
/// replica gives the same total for the same moment (its live counts only before its first publish). A replica not
/// heard from for three intervals (at least 10 s) is left out and dropped from the store.
/// </summary>
internal sealed partial class ReplicaCounts(
    ISharedStore store, GatewayMetrics metrics, IOptions<GatewayOptions> gateway, IOptions<StoreOptions> options, TimeProvider clock,
    ILogger<ReplicaCounts> logger) : IReconciled
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Replica => gateway.Value.Replica;

    private TimeSpan StaleAfter => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, 3 * options.Value.ReconcileInterval.Ticks));

    public Task ReconcileAsync(CancellationToken cancellationToken) => store.IsShared
        ? store.SetFieldAsync(StoreKeys.ReplicaCounts, Replica, JsonSerializer.Serialize(new Published(clock.GetUtcNow(), ResponseCounts.From(metrics)), Json))
        : Task.CompletedTask;

    /// <summary>The sum over every replica seen, and who they were; this replica's alone when the store is away.</summary>
    public async Task<(ResponseCounts Total, IReadOnlyList<ReplicaSeen> Replicas, bool Complete)> ReadAsync()
    {
        var now = clock.GetUtcNow();
        var own = ResponseCounts.From(metrics);
        if (!store.IsShared)
        {
            return (own, [new ReplicaSeen(Replica, now, own.Requests, This: true)], true);
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

            return (total, seen.OrderBy(replica => replica.Name, StringComparer.Ordinal).ToList(), true);
        }
        catch (StoreUnavailableException)
        {
            return (own, [new ReplicaSeen(Replica, now, own.Requests, This: true)], false);
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

    private sealed record Published(DateTimeOffset At, ResponseCounts Counts);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.ReplicaCountsUnreadable, Level = LogLevel.Warning, Message = "Dropped the unreadable published counts of replica {Replica}: {Reason}")]
        public static partial void Unreadable(ILogger logger, string replica, string reason);
    }
}
