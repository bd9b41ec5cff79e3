using Gateway.Caching;
using Gateway.Store;
using Gateway.Utilities;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gateway.Tests.Caching;

public sealed class OutageTolerantCacheStoreTests
{
    [Fact]
    public async Task After_a_failure_the_store_is_left_alone_for_a_while_then_tried_again()
    {
        var redis = new FailingStore();
        var clock = new ManualClock();
        using var store = Wrap(redis, clock);

        Assert.Null(await store.GetAsync("a", CancellationToken.None));
        Assert.Equal(1, redis.Calls);
        Assert.NotNull(store.Outage);

        // A hanging Redis would cost each of these its command timeout: they are misses and dropped writes at once.
        Assert.Null(await store.GetAsync("a", CancellationToken.None));
        await store.SetAsync("a", [1], null, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(1, redis.Calls);

        clock.Advance(OutageTolerantCacheStore.RestAfterFailure);
        redis.Fails = false;
        Assert.Null(await store.GetAsync("a", CancellationToken.None));
        Assert.Equal(2, redis.Calls);
        Assert.Null(store.Outage);
    }

    private static OutageTolerantCacheStore Wrap(IOutputCacheStore redis, TimeProvider clock) =>
        new(redis, "gateway:cache:", new StoreIntegrity("unit-test-integrity-key"),
            new StoreRejections(new MetricsRegistry(), NullLogger<StoreRejections>.Instance),
            clock, NullLogger<OutageTolerantCacheStore>.Instance);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class FailingStore : IOutputCacheStore
    {
        public bool Fails { get; set; } = true;

        public int Calls { get; private set; }

        public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
            Call<byte[]?>(null);

        public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) =>
            new(Call<object?>(null).AsTask());

        public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) =>
            new(Call<object?>(null).AsTask());

        private ValueTask<T> Call<T>(T result)
        {
            Calls++;
            return Fails
                ? ValueTask.FromException<T>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "test: no Redis"))
                : ValueTask.FromResult(result);
        }
    }
}
