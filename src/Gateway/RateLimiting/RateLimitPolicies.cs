using Gateway.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    private readonly RedisConnections _connections;
    private readonly string _storeConnectionString;
    private readonly string _keyPrefix;
    private volatile Dictionary<string, RateLimitPolicy> _policies = new(StringComparer.OrdinalIgnoreCase);
    private string? _redisConnectionString;

    public RateLimitPolicies(
        IOptionsMonitor<RateLimitingOptions> settings, IOptions<StoreOptions> store, RedisConnections connections, ILogger<RateLimitPolicies> logger)
    {
        _logger = logger;
        _connections = connections;
        _storeConnectionString = store.Value.Redis.ConnectionString;
        _keyPrefix = store.Value.Redis.KeyPrefix;
        Rebuild(settings.CurrentValue);
        _subscription = settings.OnChange(Rebuild);
    }

    public string Store { get; private set; } = "memory";

    /// <summary><c>RateLimiting:Redis:FailOpen</c>: what a shared policy without a FailOpen of its own does while its Redis is away.</summary>
    public bool FailOpen { get; private set; } = true;

    public bool FailsOpen(RateLimitPolicy policy) => policy.Settings.FailOpen ?? FailOpen;

    public IReadOnlyCollection<RateLimitPolicy> All => _policies.Values;

    public bool TryGet(string name, out RateLimitPolicy policy) => _policies.TryGetValue(name, out policy!);

    private void Rebuild(RateLimitingOptions settings)
    {
        lock (_rebuildGate)
        {
            var connectionString = settings.Redis.ConnectionString is { Length: > 0 } own ? own : _storeConnectionString;
            var shared = settings.IsShared(_storeConnectionString);
            _redisConnectionString = shared ? connectionString : null;

            var previous = _policies;
            var next = new Dictionary<string, RateLimitPolicy>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, policySettings) in settings.Policies)
            {
                next[name] = previous.TryGetValue(name, out var kept) && kept.Settings == policySettings && kept.ConnectionString == _redisConnectionString
                    ? kept
                    : new RateLimitPolicy(name, policySettings, _redisConnectionString, _connections, _keyPrefix);
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

    private static void Retire(IAsyncDisposable old) =>
        _ = Task.Delay(RetireAfter).ContinueWith(_ => old.DisposeAsync().AsTask(), TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        foreach (var policy in _policies.Values)
        {
            await policy.DisposeAsync();
        }
    }
}
