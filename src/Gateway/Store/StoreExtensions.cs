using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Store;

public static class StoreExtensions
{
    /// <summary>The rate limiter's keys of before the store had a name of its own; still read.</summary>
    private const string LegacyStoreKey = "RateLimiting:Store";
    private const string LegacyConnectionKey = "RateLimiting:Redis:ConnectionString";

    public static IServiceCollection AddGatewayStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewaySection<StoreOptions, StoreOptionsCheck>(StoreOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisConnections>();
        services.AddSingleton<StoreRejections>();
        services.AddSingleton(provider => new StoreIntegrity(provider.GetRequiredService<IOptions<StoreOptions>>().Value.IntegrityKey));
        var connectionString = RedisConnectionString(configuration);
        services.AddSingleton<ISharedStore>(provider => connectionString is null
            ? new MemoryStore()
            : new RedisStore(() => provider.GetRequiredService<RedisConnections>().Get(connectionString),
                provider.GetRequiredService<IOptions<StoreOptions>>().Value.Redis.KeyPrefix, provider.GetRequiredService<StoreIntegrity>(),
                provider.GetRequiredService<StoreRejections>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RedisStore>>()));
        services.AddHostedService<StoreSync>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return services;
    }

    /// <summary><c>Store:Redis:ConnectionString</c>, else the rate limiter's Redis when <c>RateLimiting:Store</c> is redis, else none (memory).</summary>
    public static string? RedisConnectionString(IConfiguration configuration)
    {
        if (configuration[$"{StoreOptions.SectionName}:Redis:ConnectionString"] is { Length: > 0 } own)
        {
            return own;
        }

        return string.Equals(configuration[LegacyStoreKey], "redis", StringComparison.OrdinalIgnoreCase)
            && configuration[LegacyConnectionKey] is { Length: > 0 } legacy ? legacy : null;
    }

    /// <summary>A Redis connection string StackExchange.Redis cannot parse is an error in the file, not an outage.</summary>
    public static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0 ? "names no endpoint (host:port)" : null;
        }
        catch (Exception ex) when (ex is ArgumentException or RedisConnectionException)
        {
            return ex.Message;
        }
    }
}
