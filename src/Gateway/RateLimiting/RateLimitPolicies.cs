using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.RateLimiting;

/// <summary>
/// The policies in force, rebuilt when the section changes. A policy whose settings did not change keeps
/// its limiter (and so its counters); replaced limiters are disposed once in-flight requests are done.
/// </summary>
internal sealed partial class RateLimitPolicies : IAsyncDisposable
{
    private static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(30);
    private readonly ILogger<RateLimitPolicies> _logger;
    private readonly IDisposable? _subscription;
    private readonly Lock _rebuildGate = new();
    private volatile Dictionary<string, RateLimitPolicy> _policies = new(StringComparer.OrdinalIgnoreCase);
    private RedisConnection? _redis;

    public RateLimitPolicies(IOptionsMonitor<RateLimitingOptions> settings, ILogger<RateLimitPolicies> logger)
    {
        _logger = logger;
        Rebuild(settings.CurrentValue);
        _subscription = settings.OnChange(Rebuild);
    }

    public string Store { get; private set; } = "memory";

    public bool FailOpen { get; private set; } = true;

    public IReadOnlyCollection<RateLimitPolicy> All => _policies.Values;

    public bool TryGet(string name, out RateLimitPolicy policy) => _policies.TryGetValue(name, out policy!);

    private void Rebuild(RateLimitingOptions settings)
    {
        lock (_rebuildGate)
        {
            var shared = string.Equals(settings.Store, "redis", StringComparison.OrdinalIgnoreCase);
            if (_redis?.ConnectionString != settings.Redis.ConnectionString || !shared)
            {
                Retire(_redis);
                _redis = shared ? new RedisConnection(settings.Redis.ConnectionString) : null;
            }

            var previous = _policies;
            var next = new Dictionary<string, RateLimitPolicy>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, policySettings) in settings.Policies)
            {
                next[name] = previous.TryGetValue(name, out var kept) && kept.Settings == policySettings && kept.IsShared == shared
                    ? kept
                    : new RateLimitPolicy(name, policySettings, _redis is { } redis ? redis.Get : null);
            }

            Store = shared ? "redis" : "memory";
            FailOpen = settings.Redis.FailOpen;
            _policies = next;
            foreach (var replaced in previous.Values.Where(old => !next.ContainsValue(old)))
            {
                Retire(replaced);
            }
        }
    }

    private static void Retire(IAsyncDisposable? old)
    {
        if (old is not null)
        {
            _ = Task.Delay(RetireAfter).ContinueWith(_ => old.DisposeAsync().AsTask(), TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        foreach (var policy in _policies.Values)
        {
            await policy.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>One lazy multiplexer; it does not fail the start when Redis is down and reconnects by itself.</summary>
    private sealed class RedisConnection(string connectionString) : IAsyncDisposable
    {
        private readonly Lazy<ConnectionMultiplexer> _connection = new(() =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
            options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
            return ConnectionMultiplexer.Connect(options);
        });

        public string ConnectionString { get; } = connectionString;

        public IConnectionMultiplexer Get() => _connection.Value;

        public async ValueTask DisposeAsync()
        {
            if (_connection.IsValueCreated)
            {
                await _connection.Value.DisposeAsync();
            }
        }
    }
}
