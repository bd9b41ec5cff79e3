using Gateway.Admin;
using static Gateway.Tests.Admin.ResponseHistoryTests;

namespace Gateway.Tests.Admin;

public sealed class StatusHistoryTests
{
    private const long End = 346_000_100;

    [Fact]
    public void Replicas_buckets_add_up_slot_by_slot_over_a_window_of_sixty()
    {
        HistoryBucket[] a = [new(End - 1, Counts(ok: 4)), new(End, Counts(ok: 6))];
        HistoryBucket[] b = [new(End - 1, Counts(ok: 1, failed: 2)), new(End - 200, Counts(ok: 99)), new(End + 1, Counts(ok: 99))];

        var history = StatusHistory.Sum([a, b], End);

        Assert.Equal(ResponseHistory.Window, history.Buckets.Count);
        Assert.Equal([7.0, 6.0], history.Buckets.TakeLast(2).Select(bucket => bucket.Requests));
        Assert.All(history.Buckets.SkipLast(2), bucket => Assert.Equal(0, bucket.Requests));
        // Outside the window (too old, or still filling) is not counted.
        Assert.Equal(13, history.Total.Requests);
        Assert.Equal(2, history.Total.ByClass["5xx"]);
        Assert.Same(history.Buckets[^1], history.Newest);
        Assert.Equal(ResponseHistory.StartOf(End + 1), history.To);
        Assert.Equal(TimeSpan.FromMinutes(5), history.To - history.From);
    }

    [Fact]
    public void The_window_ends_where_every_replica_has_published_its_bucket_but_never_far_behind_now()
    {
        var now = ResponseHistory.StartOf(End).AddSeconds(1);
        Assert.Equal(End - 1, StatusHistory.CompleteEnd(now, []));
        Assert.Equal(End - 1, StatusHistory.CompleteEnd(now, [now.AddMilliseconds(-300)]));
        // A replica that last published before this bucket began may not have published all of the previous one.
        Assert.Equal(End - 2, StatusHistory.CompleteEnd(now, [now.AddSeconds(-2)]));
        Assert.Equal(End - 3, StatusHistory.CompleteEnd(now, [now.AddMinutes(-1)]));
    }

    [Fact]
    public void A_routes_recent_answers_are_the_last_minute_or_five_while_the_minute_has_fewer_than_ten()
    {
        var busy = StatusHistory.Sum([[new(End - 30, Counts(failed: 50)), new(End, Counts(ok: 12))]], End);
        Assert.Equal((new RouteCounts(12, 0), TimeSpan.FromMinutes(1)), busy.Recent("users-api"));

        var quiet = StatusHistory.Sum([[new(End - 30, Counts(failed: 5, route: "unreachable")), new(End, Counts(failed: 2, route: "unreachable"))]], End);
        Assert.Equal((new RouteCounts(7, 7), TimeSpan.FromMinutes(5)), quiet.Recent("unreachable"));
        Assert.Equal((new RouteCounts(0, 0), TimeSpan.FromMinutes(5)), quiet.Recent("nothing"));
    }
}
