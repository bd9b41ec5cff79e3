using System.Text.Json;
using Gateway.Hosting;
using Gateway.Observability;
using Gateway.Store;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>
/// Whole-gateway numbers for the status page: every replica publishes its response counts to the shared store each
/// reconcile interval; a replica answering <c>/admin/status</c> adds its own live counts to the others' last ones.
/// A replica not heard from for <see cref="StaleAfter"/> is left out (and dropped from the store).
/// </summary>
internal sealed class ReplicaCounts(ISharedStore store, GatewayMetrics metrics, IOptions<GatewayOptions> gateway, TimeProvider clock) : IReconciled
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Replica => gateway.Value.Replica;

    public Task ReconcileAsync(CancellationToken cancellationToken) => store.IsShared
        ? store.SetFieldAsync(StoreKeys.ReplicaCounts, Replica, JsonSerializer.Serialize(new Published(clock.GetUtcNow(), ResponseCounts.From(metrics)), Json))
        : Task.CompletedTask;

    /// <summary>The sum over every replica seen, and who they were; this replica's alone when the store is away.</summary>
    public async Task<(ResponseCounts Total, IReadOnlyList<ReplicaSeen> Replicas, bool Complete)> ReadAsync()
    {
        var now = clock.GetUtcNow();
        var own = ResponseCounts.From(metrics);
        var total = own;
        var seen = new List<ReplicaSeen> { new(Replica, now, own.Requests, This: true) };
        if (!store.IsShared)
        {
            return (total, seen, true);
        }

        IReadOnlyDictionary<string, string> published;
        try
        {
            published = await store.FieldsAsync(StoreKeys.ReplicaCounts);
        }
        catch (StoreUnavailableException)
        {
            return (total, seen, false);
        }

        foreach (var (name, json) in published.Where(entry => entry.Key != Replica))
        {
            var other = JsonSerializer.Deserialize<Published>(json, Json)!;
            if (now - other.At > StaleAfter)
            {
                await store.RemoveFieldAsync(StoreKeys.ReplicaCounts, name);
                continue;
            }

            total = total.Plus(other.Counts);
            seen.Add(new ReplicaSeen(name, other.At, other.Counts.Requests, This: false));
        }

        return (total, seen.OrderBy(replica => replica.Name, StringComparer.Ordinal).ToList(), true);
    }

    private sealed record Published(DateTimeOffset At, ResponseCounts Counts);
}
