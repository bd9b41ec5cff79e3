using Gateway.Admin;

namespace Gateway.Tests.Admin;

public sealed class ResponseHistoryTests
{
    /// <summary>A whole step of UTC time: slot 346,000,000 starts here.</summary>
    private static readonly DateTimeOffset Start = ResponseHistory.StartOf(346_000_000);

    [Fact]
    public void What_the_counter_grew_by_goes_into_the_bucket_of_the_reading()
    {
        var history = new ResponseHistory();
        history.Record(Counts(ok: 3), Start.AddSeconds(1));
        history.Record(Counts(ok: 5, failed: 1), Start.AddSeconds(4)); // same 5 s: 2 more 2xx, 1 5xx
        history.Record(Counts(ok: 9, failed: 1), Start.AddSeconds(6)); // the next bucket: 4 more
        history.Record(Counts(ok: 9, failed: 1), Start.AddSeconds(7)); // nothing new: no key, no bucket

        var buckets = history.Buckets(Start.AddSeconds(7));

        Assert.Equal([346_000_000L, 346_000_001L], buckets.Select(bucket => bucket.Slot));
        Assert.Equal(6, buckets[0].Counts.Requests);
        Assert.Equal(new RouteCounts(6, 1), buckets[0].Counts.ByRoute["users-api"]);
        Assert.Equal(4, buckets[1].Counts.ByClass["2xx"]);
        Assert.False(buckets[1].Counts.ByClass.ContainsKey("5xx"));
    }

    [Fact]
    public void An_older_reading_recorded_after_a_newer_one_counts_nothing_twice()
    {
        var history = new ResponseHistory();
        history.Record(Counts(ok: 5), Start.AddSeconds(1));
        history.Record(Counts(ok: 3), Start.AddSeconds(1));
        history.Record(Counts(ok: 6), Start.AddSeconds(2));

        Assert.Equal(6, Assert.Single(history.Buckets(Start.AddSeconds(2))).Counts.Requests);
    }

    [Fact]
    public void Only_the_last_five_minutes_and_the_bucket_filling_now_are_kept()
    {
        var history = new ResponseHistory();
        for (var second = 0; second < 20 * 60; second++)
        {
            history.Record(Counts(ok: second + 1), Start.AddSeconds(second));
        }

        var now = Start.AddSeconds((20 * 60) - 1);
        var buckets = history.Buckets(now);

        Assert.Equal(ResponseHistory.Kept, buckets.Count);
        Assert.Equal(ResponseHistory.SlotOf(now), buckets[^1].Slot);
        Assert.All(buckets, bucket => Assert.Equal(5, bucket.Counts.Requests));
        // An hour later with no answers, nothing is left.
        Assert.Empty(history.Buckets(now.AddHours(1)));
    }

    [Fact]
    public void A_restarted_replica_takes_back_what_it_published_and_counts_on_from_zero()
    {
        var before = new ResponseHistory();
        before.Record(Counts(ok: 7), Start.AddSeconds(2));
        before.Record(Counts(ok: 10), Start.AddSeconds(12));
        var published = before.Buckets(Start.AddSeconds(12));

        // The new process's counter starts at 0 again: 2 answers, not 2 - 10.
        var after = new ResponseHistory();
        after.Seed(published, Start.AddSeconds(13));
        after.Record(Counts(ok: 2), Start.AddSeconds(13));

        Assert.Equal([7.0, 5.0], after.Buckets(Start.AddSeconds(13)).Select(bucket => bucket.Counts.Requests));
        // Buckets older than the window are not taken back.
        var late = new ResponseHistory();
        late.Seed(published, Start.AddMinutes(6));
        Assert.Empty(late.Buckets(Start.AddMinutes(6)));
    }

    /// <summary>A cumulative reading of one route's counter: <paramref name="ok"/> 2xx and <paramref name="failed"/> 5xx so far.</summary>
    internal static ResponseCounts Counts(double ok = 0, double failed = 0, double maintenance = 0, string route = "users-api")
    {
        var counts = ResponseCounts.Empty();
        counts.Add(new(new() { ["2xx"] = ok, ["5xx"] = failed + maintenance },
            new() { ["upstream"] = ok + failed, ["maintenance"] = maintenance },
            new() { [route] = new RouteCounts(ok + failed + maintenance, failed + maintenance, maintenance) }));
        return counts;
    }
}
