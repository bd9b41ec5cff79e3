using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Gateway.Store;

/// <summary>
/// One lazy multiplexer per connection string, shared by the store and the rate limiter (StackExchange.Redis wants
/// one per process). It does not fail the start when Redis is down and reconnects by itself.
/// </summary>
public sealed class RedisConnections : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ConnectionMultiplexer>> _connections = new(StringComparer.Ordinal);

    public IConnectionMultiplexer Get(string connectionString) =>
        _connections.GetOrAdd(connectionString, cs => new Lazy<ConnectionMultiplexer>(() => Connect(cs))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values.Where(lazy => lazy.IsValueCreated))
        {
            await connection.Value.DisposeAsync();
        }
    }

    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        // The default backs off exponentially (to tens of seconds): a Redis that returns would stay unused that long.
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        // Without a connection, fail at once instead of queueing each command until its timeout (seconds per admin
        // request or rate-limited request while Redis is down); callers keep the last state or fail open.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(options);
    }
}
