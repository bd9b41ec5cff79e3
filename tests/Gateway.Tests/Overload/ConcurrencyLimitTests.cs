using Gateway.Overload;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Tests.Overload;

/// <summary>A permit at once, after a bounded wait in the queue, or none; given back when the request ends or upgrades.</summary>
public sealed class ConcurrencyLimitTests
{
    [Fact]
    public async Task Without_a_queue_a_request_over_the_limit_is_refused_at_once_and_a_returned_permit_serves_the_next()
    {
        var limit = Limit(new ConcurrencyLimitOptions { PermitLimit = 2 });

        var first = await limit.AcquirePermitAsync(new DefaultHttpContext());
        var second = await limit.AcquirePermitAsync(new DefaultHttpContext());
        var third = await limit.AcquirePermitAsync(new DefaultHttpContext());

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.Equal(0, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);

        first.Dispose();
        Assert.Equal(1, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);
        using var fourth = await limit.AcquirePermitAsync(new DefaultHttpContext());
        Assert.NotNull(fourth);
        second.Dispose();
    }

    [Fact]
    public async Task A_queued_request_gets_the_permit_given_back_and_one_over_the_queue_is_refused()
    {
        var limit = Limit(new ConcurrencyLimitOptions { PermitLimit = 1, QueueLimit = 1, QueueTimeout = TimeSpan.FromMinutes(1) });
        var holder = await limit.AcquirePermitAsync(new DefaultHttpContext());

        var queued = limit.AcquirePermitAsync(new DefaultHttpContext()).AsTask();
        Assert.False(queued.IsCompleted);
        Assert.Equal(1, limit.Limiter.GetStatistics()!.CurrentQueuedCount);
        Assert.Null(await limit.AcquirePermitAsync(new DefaultHttpContext()));

        holder!.Dispose();
        using var served = await queued;
        Assert.NotNull(served);
        Assert.Equal(0, limit.Limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task A_request_that_waited_out_the_queue_timeout_is_refused()
    {
        var limit = Limit(new ConcurrencyLimitOptions { PermitLimit = 1, QueueLimit = 1, QueueTimeout = TimeSpan.FromMilliseconds(50) });
        var holder = await limit.AcquirePermitAsync(new DefaultHttpContext());

        Assert.Null(await limit.AcquirePermitAsync(new DefaultHttpContext()));

        holder!.Dispose(); // The request that gave up holds nothing: the permit is free for the next.
        Assert.Equal(1, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);
        using var next = await limit.AcquirePermitAsync(new DefaultHttpContext());
        Assert.NotNull(next);
    }

    [Fact]
    public async Task A_client_that_leaves_while_queued_is_not_answered()
    {
        var limit = Limit(new ConcurrencyLimitOptions { PermitLimit = 1, QueueLimit = 1, QueueTimeout = TimeSpan.FromMinutes(1) });
        var holder = await limit.AcquirePermitAsync(new DefaultHttpContext());
        using var left = new CancellationTokenSource();
        var waiting = limit.AcquirePermitAsync(new DefaultHttpContext { RequestAborted = left.Token }).AsTask();

        await left.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        holder!.Dispose();
        Assert.Equal(1, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task An_upgraded_request_gives_its_permit_back_at_the_101_and_only_once()
    {
        var limit = Limit(new ConcurrencyLimitOptions { PermitLimit = 1 });
        var response = new StartingResponse();
        var context = Upgradable(response);

        var permit = await limit.AcquirePermitAsync(context);
        Assert.NotNull(permit);
        context.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
        await response.StartAsync();

        Assert.Equal(1, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);
        using var other = await limit.AcquirePermitAsync(new DefaultHttpContext());
        Assert.NotNull(other);
        permit.Dispose(); // The request's end after the session: must not give back a permit twice.
        Assert.Equal(0, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task An_upgradable_request_answered_without_101_holds_its_permit_until_it_ends()
    {
        var limit = Limit(new ConcurrencyLimitOptions { PermitLimit = 1 });
        var response = new StartingResponse();
        var context = Upgradable(response);

        var permit = await limit.AcquirePermitAsync(context);
        context.Response.StatusCode = StatusCodes.Status200OK;
        await response.StartAsync();

        Assert.Equal(0, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);
        permit!.Dispose();
        Assert.Equal(1, limit.Limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    private static ConcurrencyLimit Limit(ConcurrencyLimitOptions settings) => new("cluster", "users", settings);

    private static DefaultHttpContext Upgradable(StartingResponse response)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(response);
        context.Features.Set<IHttpUpgradeFeature>(new Upgrade());
        return context;
    }

    /// <summary>A response that runs its OnStarting callbacks when the test starts it (DefaultHttpContext's never does).</summary>
    private sealed class StartingResponse : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public async Task StartAsync()
        {
            foreach (var (callback, state) in _starting)
            {
                await callback(state);
            }
        }
    }

    private sealed class Upgrade : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => true;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }
}
