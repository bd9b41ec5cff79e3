using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Gateway.Admin;

/// <summary>
/// Counts wrong admin keys per client address in a fixed window (<c>Admin:FailedKeyLimit</c>, 10 a minute by default).
/// A client that used up its window is blocked for what is left of it: every admin request is refused, the right key
/// included, or guessing would go on, told apart by the answer. Addresses in one IPv6 /64 count as one client (a host
/// usually has a whole /64 to pick from). Idle windows are dropped by the framework's partitioned limiter.
/// </summary>
internal sealed partial class FailedKeyLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<Counted> _windows;
    private readonly IOptionsMonitor<AdminOptions> _settings;
    private readonly ILogger<FailedKeyLimiter> _logger;
    private readonly Counter.Child _wrongKeys;
    private readonly Counter.Child _blocked;

    public FailedKeyLimiter(IOptionsMonitor<AdminOptions> settings, MetricsRegistry metrics, ILogger<FailedKeyLimiter> logger)
    {
        _settings = settings;
        _logger = logger;
        // The limit is part of the partition: an edited limit starts every count anew (the old windows go idle and are dropped).
        _windows = PartitionedRateLimiter.Create<Counted, Counted>(counted => RateLimitPartition.GetFixedWindowLimiter(counted, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = counted.PermitLimit, Window = counted.Window, QueueLimit = 0 }));
        var failures = metrics.Factory.CreateCounter("gateway_admin_key_failures_total",
            "Admin requests refused for their key, by result: wrong_key (a key that is not configured, 401) or blocked (429: the client address sent Admin:FailedKeyLimit wrong keys within the window, and every admin request from it is refused until the window ends).",
            new CounterConfiguration { LabelNames = ["result"] });
        _wrongKeys = failures.WithLabels("wrong_key");
        _blocked = failures.WithLabels("blocked");
    }

    /// <summary>How long <paramref name="client"/> is still blocked, or null when it may present a key.</summary>
    public TimeSpan? Blocked(IPAddress client)
    {
        using var probe = _windows.AttemptAcquire(Count(client), 0);
        return probe.IsAcquired ? null : Refuse(probe);
    }

    /// <summary>
    /// Counts a wrong key. Null: answer 401. Else the client is blocked (a request that raced others to the last
    /// permit): answer 429 after that long. The key that uses the last permit logs the block, once per window.
    /// </summary>
    public TimeSpan? Failed(IPAddress client)
    {
        var counted = Count(client);
        using var lease = _windows.AttemptAcquire(counted, 1);
        if (!lease.IsAcquired)
        {
            return Refuse(lease);
        }

        _wrongKeys.Inc();
        if (_windows.GetStatistics(counted)?.CurrentAvailablePermits == 0)
        {
            Log.Blocked(_logger, client, counted.PermitLimit, counted.Window);
        }

        return null;
    }

    public void Dispose() => _windows.Dispose();

    private TimeSpan Refuse(RateLimitLease lease)
    {
        _blocked.Inc();
        // The fixed window's failed lease says a whole window (an upper bound of what is left of it).
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _settings.CurrentValue.FailedKeyLimit.Window;
    }

    private Counted Count(IPAddress client)
    {
        var limit = _settings.CurrentValue.FailedKeyLimit;
        if (client.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = client.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            client = new IPAddress(bytes);
        }

        return new Counted(client, limit.PermitLimit, limit.Window);
    }

    /// <summary>One client's window: its address (an IPv6 /64) under the limit in force when it was made.</summary>
    private readonly record struct Counted(IPAddress Client, int PermitLimit, TimeSpan Window);

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AdminKeyGuessing, Level = LogLevel.Warning,
            Message = "Client {Client} sent {PermitLimit} wrong admin keys within {Window}: the admin API refuses it (429) until the window ends")]
        public static partial void Blocked(ILogger logger, IPAddress client, int permitLimit, TimeSpan window);
    }
}
