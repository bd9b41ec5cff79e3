using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Store;

/// <summary>
/// The shared store in Redis, every key under <c>Store:Redis:KeyPrefix</c>. Reachability is what the last operation
/// found: the first failure after a success logs one warning (not one per request), the first success after it one
/// information line. Every value is written with an integrity tag (<see cref="StoreIntegrity"/>) and read back only
/// with a matching one: a value someone else wrote is left out (a missing value, a shorter list) and reported once.
/// </summary>
internal sealed partial class RedisStore : ISharedStore, IDisposable
{
    private readonly RedisChannel _channel;
    private readonly Func<IConnectionMultiplexer> _connection;
    private readonly string _prefix;
    private readonly StoreIntegrity _integrity;
    private readonly StoreRejections _rejections;
    private readonly ILogger<RedisStore> _logger;
    private readonly Lock _subscribing = new();
    private readonly OutageTracker _outage;
    private ISubscriber? _subscriber;

    public RedisStore(
        Func<IConnectionMultiplexer> connection, string keyPrefix, StoreIntegrity integrity, StoreRejections rejections, TimeProvider clock, ILogger<RedisStore> logger)
    {
        _connection = connection;
        _prefix = keyPrefix;
        _channel = RedisChannel.Literal(keyPrefix + StoreKeys.ChangeChannel);
        _integrity = integrity;
        _rejections = rejections;
        _outage = new OutageTracker(clock);
        _logger = logger;
    }

    public string Kind => "redis";

    public bool IsShared => true;

    public StoreOutage? Outage => _outage.Current;

    public event Action? Changed;

    private IDatabase Database => _connection().GetDatabase();

    public Task<string?> GetAsync(string key) => RunAsync(async () =>
        (string?)await Database.StringGetAsync(_prefix + key) is { } stored ? Open(key, _prefix + key, stored) : null);

    public Task SetAsync(string key, string value) => RunAsync(() => Database.StringSetAsync(_prefix + key, Seal(key, value)));

    public Task SetIfAbsentAsync(string key, string value) =>
        RunAsync(() => Database.StringSetAsync(_prefix + key, Seal(key, value), when: When.NotExists));

    public Task PushCappedAsync(string key, string value, int keep) => RunAsync(async () =>
    {
        var transaction = Database.CreateTransaction();
        _ = transaction.ListLeftPushAsync(_prefix + key, Seal(key, value));
        _ = transaction.ListTrimAsync(_prefix + key, 0, keep - 1);
        return await transaction.ExecuteAsync();
    });

    public Task<IReadOnlyList<string>> ListAsync(string key, int count) => RunAsync(async () =>
        (IReadOnlyList<string>)(await Database.ListRangeAsync(_prefix + key, 0, count - 1))
            .Select(value => Open(key, _prefix + key, value.ToString())).OfType<string>().ToList());

    public Task SetFieldAsync(string key, string field, string value) =>
        RunAsync(() => Database.HashSetAsync(_prefix + key, field, _integrity.Seal(FieldOf(key, field), value)));

    public Task<IReadOnlyDictionary<string, string>> FieldsAsync(string key) => RunAsync(async () =>
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in await Database.HashGetAllAsync(_prefix + key))
        {
            if (Open(key, FieldOf(key, entry.Name.ToString()), entry.Value.ToString()) is { } value)
            {
                fields[entry.Name.ToString()] = value;
            }
        }

        return (IReadOnlyDictionary<string, string>)fields;
    });

    public Task RemoveFieldAsync(string key, string field) => RunAsync(() => Database.HashDeleteAsync(_prefix + key, field));

    public Task PublishChangeAsync(string what) => RunAsync(() => _connection().GetSubscriber().PublishAsync(_channel, what));

    /// <summary>Subscribes once; StackExchange.Redis re-subscribes by itself after a reconnect.</summary>
    public async Task EnsureSubscribedAsync()
    {
        lock (_subscribing)
        {
            if (_subscriber is not null)
            {
                return;
            }

            _subscriber = _connection().GetSubscriber();
        }

        try
        {
            await RunAsync(async () =>
            {
                await _subscriber.SubscribeAsync(_channel, (_, _) => Changed?.Invoke());
                return true;
            });
        }
        catch (StoreUnavailableException)
        {
            lock (_subscribing)
            {
                _subscriber = null;
            }

            throw;
        }
    }

    public void Dispose() => Changed = null;

    /// <summary>What a hash field's tag covers: the hash's full key and the field (no key holds a zero character).</summary>
    private string FieldOf(string key, string field) => $"{_prefix}{key}\0{field}";

    private string Seal(string key, string value) => _integrity.Seal(_prefix + key, value);

    /// <summary>The value when its tag matches; else null, reported once.</summary>
    private string? Open(string key, string where, string stored)
    {
        var check = _integrity.Open(where, stored, out var value);
        if (check == SealCheck.Valid)
        {
            return value;
        }

        _rejections.Refused(StoreKeys.KindOf(key), _prefix + key, stored, check);
        return null;
    }

    private async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            var result = await operation();
            if (_outage.Succeeded() is { } ended)
            {
                Log.Reachable(_logger, ended.Since);
            }

            return result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            if (_outage.Failed(ex))
            {
                Log.Unreachable(_logger, ex.GetType().Name);
            }

            throw new StoreUnavailableException("The shared store (Redis) is unreachable.", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.StoreUnreachable, Level = LogLevel.Warning,
            Message = "Shared store (Redis) unreachable ({Reason}); keeping the last known admin state, admin changes refused until it returns")]
        public static partial void Unreachable(ILogger logger, string reason);

        [LoggerMessage(EventId = EventIds.StoreReachable, Level = LogLevel.Information,
            Message = "Shared store (Redis) reachable again (unreachable since {Since:O}); reconciling")]
        public static partial void Reachable(ILogger logger, DateTimeOffset since);
    }
}
