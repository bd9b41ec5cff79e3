using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Gateway.Store;

/// <summary>
/// Values read back from Redis that the gateway refused (no tag, a wrong tag, or a tagged value that does not parse):
/// each is skipped by its reader, and logged and counted here once per value, however often it is read again (the
/// maintenance override is read every reconcile interval). Never the value itself in the log: it is not ours.
/// </summary>
public sealed partial class StoreRejections
{
    /// <summary>The kind label's values.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["maintenance", "audit", "replicas", Cache, "other"];

    public const string Cache = "cache";

    // Fingerprints of the values already reported; forgotten all at once past this many (then reported once more).
    private const int Remember = 4096;
    private readonly ConcurrentDictionary<UInt128, byte> _reported = new();
    private readonly Counter _rejected;
    private readonly ILogger<StoreRejections> _logger;

    public StoreRejections(MetricsRegistry registry, ILogger<StoreRejections> logger)
    {
        _logger = logger;
        _rejected = registry.Factory.CreateCounter("gateway_store_rejected_entries_total",
            "Values read back from Redis and refused (not applied, not served), each counted once: no integrity tag, a tag that does not match Store:IntegrityKey, or a tagged value that does not parse; by kind (maintenance, audit, replicas, cache, other).",
            new CounterConfiguration { LabelNames = ["kind"] });
        foreach (var kind in Kinds)
        {
            _rejected.WithLabels(kind);
        }
    }

    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <param name="where">The full Redis key (and field) the value was read from.</param>
    /// <param name="shown">What the log names instead of <paramref name="where"/> when that is made of request data (a cache key).</param>
    public void Refused(string kind, string where, ReadOnlySpan<byte> value, SealCheck check, string? shown = null) =>
        Report(kind, where, shown ?? where, value, check == SealCheck.Untagged
            ? "it carries no integrity tag (written by someone without Store:IntegrityKey, or by a gateway from before tags)"
            : "its integrity tag does not match (changed in Redis, or tagged with another Store:IntegrityKey)");

    public void Refused(string kind, string where, string value, SealCheck check) => Refused(kind, where, Encoding.UTF8.GetBytes(value), check);

    /// <summary>A value whose tag matched but that its reader cannot parse (another version of the gateway wrote it).</summary>
    public void Unreadable(string kind, string where, string value) =>
        Report(kind, where, where, Encoding.UTF8.GetBytes(value), "it does not parse");

    private void Report(string kind, string where, string shown, ReadOnlySpan<byte> value, string reason)
    {
        if (_reported.Count >= Remember)
        {
            _reported.Clear();
        }

        if (_reported.TryAdd(Fingerprint(where, value), 0))
        {
            _rejected.WithLabels(Kinds.Contains(kind) ? kind : "other").Inc();
            Log.Refused(_logger, shown, kind, reason);
        }
    }

    private static UInt128 Fingerprint(string where, ReadOnlySpan<byte> value)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(where));
        hash.AppendData([0]);
        hash.AppendData(value);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.StoreEntryRefused, Level = LogLevel.Warning,
            Message = "Redis value {Where} ({Kind}) ignored: {Reason}; not applied, counted in gateway_store_rejected_entries_total, logged once per value")]
        public static partial void Refused(ILogger logger, string where, string kind, string reason);
    }
}
