using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using Gateway.Store;
using Gateway.Utilities;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>
/// The output-cache store in front of Redis's (Microsoft.AspNetCore.OutputCaching.StackExchangeRedis), which throws
/// when Redis is away. ASP.NET Core 10's middleware survives that (the request goes to the upstream) but logs a failed
/// read and a failed write for every request of an outage; here an unreachable store is a quiet miss and a dropped
/// write, with one warning per outage and an outage the health check can report, and no middleware version that
/// lets a read failure through can answer 500 for it.
/// After a failure the store is left alone for <see cref="RestAfterFailure"/>: a Redis that hangs rather than refuses
/// would otherwise cost every cached request its command timeout, twice (the read, then the write).
/// A route eviction that fails is kept and done before the next read, so answers made under an old route are not
/// served once Redis returns with them still in it.
/// Every answer is stored with an integrity tag over its full key (<see cref="StoreIntegrity"/>): an entry written or
/// changed in Redis by anyone without <c>Store:IntegrityKey</c> is a miss (the upstream answers and its answer replaces
/// the entry), reported once, never served.
/// </summary>
internal sealed partial class OutageTolerantCacheStore : IOutputCacheStore, IOutputCacheBufferStore, IDisposable
{
    private readonly IOutputCacheStore _inner;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutageTolerantCacheStore> _logger;
    private readonly StoreIntegrity _integrity;
    private readonly StoreRejections _rejections;
    private readonly string _instanceName;
    private readonly ConcurrentDictionary<string, byte> _pendingEvictions = new(StringComparer.Ordinal);
    private readonly OutageTracker _outage;
    private long _restUntilTicks;

    /// <summary>How long reads and writes skip the store after one failed; then the next request tries it again.</summary>
    public static readonly TimeSpan RestAfterFailure = TimeSpan.FromSeconds(1);

    /// <param name="instanceName">The key prefix the inner store writes under: part of what each tag covers.</param>
    public OutageTolerantCacheStore(
        IOutputCacheStore inner, string instanceName, StoreIntegrity integrity, StoreRejections rejections, TimeProvider clock, ILogger<OutageTolerantCacheStore> logger)
    {
        _inner = inner;
        _instanceName = instanceName;
        _integrity = integrity;
        _rejections = rejections;
        _clock = clock;
        _outage = new OutageTracker(clock);
        _logger = logger;
    }

    /// <summary>Null while the last operation reached the store; else since when it has not.</summary>
    public StoreOutage? Outage => _outage.Current;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        (await GetOpenedAsync(key, cancellationToken))?.ToArray();

    /// <summary>Through <see cref="GetAsync"/>'s path: an entry is checked whole before a byte of it is written out.</summary>
    public async ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        if (await GetOpenedAsync(key, cancellationToken) is not { } value)
        {
            return false;
        }

        await destination.WriteAsync(value, cancellationToken);
        return true;
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (Resting())
        {
            return;
        }

        try
        {
            await _inner.SetAsync(key, _integrity.Seal(_instanceName + key, new ReadOnlySequence<byte>(value)), tags, validFor, cancellationToken);
            Reached();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Unreached(ex);
        }
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (Resting())
        {
            return;
        }

        try
        {
            // The tag goes first, so the entry is one new array either way; the inner store's own buffer path gains nothing.
            await _inner.SetAsync(key, _integrity.Seal(_instanceName + key, value), tags.ToArray(), validFor, cancellationToken);
            Reached();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Unreached(ex);
        }
    }

    /// <summary>Throws when the store is unreachable (the caller logs it); the eviction is then done before the next read.</summary>
    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        try
        {
            await _inner.EvictByTagAsync(tag, cancellationToken);
            Reached();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            _pendingEvictions.TryAdd(tag, 0);
            Unreached(ex);
            throw;
        }
    }

    /// <summary>Disposes the Redis store (it stops its background sweep); only at shutdown, when the shared connection closes too.</summary>
    public void Dispose() => (_inner as IDisposable)?.Dispose();

    /// <summary>The entry's answer when its tag matches; null for none, an unreachable store or a refused entry.</summary>
    private async ValueTask<ReadOnlyMemory<byte>?> GetOpenedAsync(string key, CancellationToken cancellationToken)
    {
        if (Resting())
        {
            return null;
        }

        byte[]? stored;
        try
        {
            await EvictPendingAsync(cancellationToken);
            stored = await _inner.GetAsync(key, cancellationToken);
            Reached();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Unreached(ex);
            return null;
        }

        if (stored is null)
        {
            return null;
        }

        var check = _integrity.Open(_instanceName + key, stored, out var value);
        if (check != SealCheck.Valid)
        {
            _rejections.Refused(StoreRejections.Cache, _instanceName + key, stored, check, shown: $"{_instanceName}* (a cached answer)");
            return null;
        }

        return value;
    }

    private async ValueTask EvictPendingAsync(CancellationToken cancellationToken)
    {
        if (_pendingEvictions.IsEmpty)
        {
            return;
        }

        foreach (var tag in _pendingEvictions.Keys)
        {
            await _inner.EvictByTagAsync(tag, cancellationToken);
            _pendingEvictions.TryRemove(tag, out _);
            Log.EvictedLate(_logger, tag);
        }
    }

    private static bool IsUnreachable(Exception ex) => ex is RedisException or TimeoutException or SocketException or ObjectDisposedException;

    private void Reached()
    {
        if (_outage.Succeeded() is { } ended)
        {
            Log.Reachable(_logger, ended.Since);
        }
    }

    private bool Resting() => _outage.Current is not null && _clock.GetUtcNow().UtcTicks < Volatile.Read(ref _restUntilTicks);

    private void Unreached(Exception ex)
    {
        Volatile.Write(ref _restUntilTicks, (_clock.GetUtcNow() + RestAfterFailure).UtcTicks);
        if (_outage.Failed(ex))
        {
            Log.Unreachable(_logger, ex.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.CacheStoreUnreachable, Level = LogLevel.Warning,
            Message = "Output cache store (Redis) unreachable ({Reason}); answering from the upstream and storing nothing until it returns")]
        public static partial void Unreachable(ILogger logger, string reason);

        [LoggerMessage(EventId = EventIds.CacheStoreReachable, Level = LogLevel.Information,
            Message = "Output cache store (Redis) reachable again (unreachable since {Since:O})")]
        public static partial void Reachable(ILogger logger, DateTimeOffset since);

        [LoggerMessage(EventId = EventIds.CacheEvictedLate, Level = LogLevel.Information,
            Message = "Route {RouteId}: the cached answers an earlier change could not drop were dropped")]
        public static partial void EvictedLate(ILogger logger, string routeId);
    }
}
