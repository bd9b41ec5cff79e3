using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Caching;

public sealed class CachingExtensionsTests
{
    /// <summary>
    /// Pins what CachingExtensions.AddRedisStore relies on to put the package's store inside OutageTolerantCacheStore:
    /// the package offers no public way to build its store, and registers it last, by a (non-public) implementation type.
    /// A package that changes that fails here, not at the gateway's start.
    /// </summary>
    [Fact]
    public void The_redis_package_registers_its_own_store_last_by_a_non_public_type()
    {
        var services = new ServiceCollection();
        services.AddStackExchangeRedisOutputCache(_ => { });

        var store = services.Last(descriptor => descriptor.ServiceType == typeof(IOutputCacheStore));

        Assert.NotNull(store.ImplementationType);
        Assert.False(store.ImplementationType!.IsPublic);
        Assert.Equal(typeof(RedisOutputCacheOptions).Assembly, store.ImplementationType.Assembly);
        Assert.True(typeof(IOutputCacheStore).IsAssignableFrom(store.ImplementationType));
        Assert.DoesNotContain(typeof(RedisOutputCacheOptions).Assembly.GetExportedTypes(), type => typeof(IOutputCacheStore).IsAssignableFrom(type));
    }
}
