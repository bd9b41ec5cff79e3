using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Store;

/// <summary>
/// The shared store in Redis. Reachability is what the last operation found: the first failure after a success logs
/// one warning (not one per request), the first success after it one information line.
/// </summary>
internal sealed partial class RedisStore : ISharedStore, IDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(StoreKeys.ChangeChannel);
    private readonly Func<IConnectionMultiplexer> _connection;
    private readonly ILogger<RedisStore> _logger;
    private readonly Lock _subscribing = new();
    private readonly OutageTracker _outage;
    private ISubscriber? _subscriber;

    public RedisStore(Func<IConnectionMultiplexer> connection, TimeProvider clock, ILogger<RedisStore> logger)
    {
        _connection = connection;
        _outage = new OutageTracker(clock);
        _logger = logger;
    }

    public string Kind => "redis";

    public bool IsShared => true;

    public StoreOutage? Outage => _outage.Current;

    public event Action? Changed;

    private IDatabase Database => _connection().GetDatabase();

    public Task<string?> GetAsync(string key) => RunAsync(async () => (string?)await Database.StringGetAsync(key));

    public Task SetAsync(string key, string value) => RunAsync(() => Database.StringSetAsync(key, value));

    public Task SetIfAbsentAsync(string key, string value) => RunAsync(() => Database.StringSetAsync(key, value, when: When.NotExists));

    public Task PushCappedAsync(string key, string value, int keep) => RunAsync(async () =>
    {
        var transaction = Database.CreateTransaction();
        _ = transaction.ListLeftPushAsync(key, value);
        _ = transaction.ListTrimAsync(key, 0, keep - 1);
        return await transaction.ExecuteAsync();
    });

    public Task<IReadOnlyList<string>> ListAsync(string key, int count) => RunAsync(async () =>
        (IReadOnlyList<string>)(await Database.ListRangeAsync(key, 0, count - 1)).Select(value => value.ToString()).ToList());

    public Task SetFieldAsync(string key, string field, string value) => RunAsync(() => Database.HashSetAsync(key, field, value));

    public Task<IReadOnlyDictionary<string, string>> FieldsAsync(string key) => RunAsync(async () =>
        (IReadOnlyDictionary<string, string>)(await Database.HashGetAllAsync(key)).ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString()));

    public Task RemoveFieldAsync(string key, string field) => RunAsync(() => Database.HashDeleteAsync(key, field));

    public Task PublishChangeAsync(string what) => RunAsync(() => _connection().GetSubscriber().PublishAsync(Channel, what));

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
                await _subscriber.SubscribeAsync(Channel, (_, _) => Changed?.Invoke());
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
