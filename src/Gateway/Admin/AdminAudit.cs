using System.Text.Json;
using Gateway.Hosting;
using Gateway.Store;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>Every admin change, kept in the shared store (the newest <see cref="Keep"/>), with time, replica and key name.</summary>
internal sealed partial class AdminAudit(
    ISharedStore store, IOptions<GatewayOptions> gateway, TimeProvider clock, StoreRejections rejections, ILogger<AdminAudit> logger)
{
    public const int Keep = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task RecordAsync(HttpContext context, string action, object change) =>
        store.PushCappedAsync(StoreKeys.Audit, JsonSerializer.Serialize(new AuditEntry(
            clock.GetUtcNow(), gateway.Value.Replica, context.Features.Get<AdminCaller>()?.KeyName ?? "-", action,
            JsonSerializer.SerializeToElement(change, Json)), Json), Keep);

    public void NotKept(string action) => Log.NotKept(logger, action, gateway.Value.Replica);

    /// <summary>Newest first; an entry that does not parse is left out (the store already left out those it did not tag).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync() =>
        (await store.ListAsync(StoreKeys.Audit, Keep)).Select(Parse).OfType<AuditEntry>().ToList();

    private AuditEntry? Parse(string entry)
    {
        try
        {
            if (JsonSerializer.Deserialize<AuditEntry>(entry, Json) is { Action: not null } parsed)
            {
                return parsed;
            }
        }
        catch (JsonException)
        {
        }

        rejections.Unreadable(StoreKeys.KindOf(StoreKeys.Audit), StoreKeys.Audit, entry);
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AuditNotKept, Level = LogLevel.Warning, Message = "Admin change {Action} on replica {Replica} was made, but the shared store went away before its audit entry was kept")]
        public static partial void NotKept(ILogger logger, string action, string replica);
    }
}
