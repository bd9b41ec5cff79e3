using Gateway.Errors;
using Gateway.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Caching;

public static class CachingExtensions
{
    /// <summary>The cache's entries and tag sets in Redis: after <c>Store:Redis:KeyPrefix</c>, beside the store's keys.</summary>
    public const string RedisKeyPart = "cache:";

    /// <summary>
    /// ASP.NET Core output caching with one policy, <c>shared</c>; a route opts in with YARP's <c>"OutputCachePolicy": "shared"</c>.
    /// In this process's memory, or in Redis when the shared store is (<c>Store:Redis:ConnectionString</c>), so every replica
    /// answers from what any of them stored.
    /// </summary>
    public static IServiceCollection AddGatewayCaching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOutputCache();
        // The store is looked up when first needed: the memory store is built from these options.
        services.AddSingleton<CacheMetrics>();
        services.AddOptions<OutputCacheOptions>().Configure<CacheMetrics, IOptionsMonitor<ProxyStatusOptions>, IServiceProvider>((options, metrics, names, provider) =>
            options.AddPolicy(SharedCachePolicy.Name, new SharedCachePolicy(metrics, names, provider.GetService<OutageTolerantCacheStore>)));
        if (StoreExtensions.RedisConnectionString(configuration) is { } connectionString)
        {
            AddRedisStore(services, connectionString);
        }

        services.AddSingleton<IConfigChangeListener, CacheEviction>();
        services.AddSingleton<ITransformProvider, CacheLifetimeTransform>();
        return services;
    }

    /// <summary>After authorization and rate limiting: a hit is still authenticated and counted against the quota.</summary>
    public static IApplicationBuilder UseGatewayCaching(this IApplicationBuilder app) => app.UseOutputCache();

    private static void AddRedisStore(IServiceCollection services, string connectionString)
    {
        services.AddStackExchangeRedisOutputCache(_ => { });
        // The gateway's one multiplexer (fail-fast, quick reconnect), not a second connection of the package's own.
        services.AddOptions<RedisOutputCacheOptions>().Configure<RedisConnections, IOptions<StoreOptions>>((options, connections, store) =>
        {
            options.InstanceName = store.Value.Redis.KeyPrefix + RedisKeyPart;
            options.ConnectionMultiplexerFactory = () => Task.FromResult(connections.Get(connectionString));
        });

        // The package's store type is internal and has no public factory: its registration (the last, pinned by
        // CachingExtensionsTests) is replaced by one that makes it inside the wrapper.
        var redisStore = services.Last(descriptor => descriptor.ServiceType == typeof(IOutputCacheStore));
        services.Remove(redisStore);
        services.AddSingleton(provider => new OutageTolerantCacheStore(
            (IOutputCacheStore)ActivatorUtilities.CreateInstance(provider, redisStore.ImplementationType!),
            provider.GetRequiredService<IOptions<RedisOutputCacheOptions>>().Value.InstanceName!,
            provider.GetRequiredService<StoreIntegrity>(), provider.GetRequiredService<StoreRejections>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<OutageTolerantCacheStore>>()));
        services.AddSingleton<IOutputCacheStore>(provider => provider.GetRequiredService<OutageTolerantCacheStore>());
        services.AddHealthChecks().AddCheck<CacheStoreHealthCheck>("cache");
    }
}
