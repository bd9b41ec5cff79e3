using Gateway.Admin;
using Gateway.Observability;

namespace Gateway.Tests.Admin;

public sealed class ResponseCountsTests
{
    [Fact]
    public void One_replicas_counts_are_read_from_its_counter_by_label_name()
    {
        var metrics = new ObservabilityMetrics();
        metrics.Responses.WithLabels("users-api", "users", "GET", "200", "2xx", "upstream").Inc(3);
        metrics.Responses.WithLabels("users-api", "users", "GET", "503", "5xx", "maintenance").Inc(2);
        metrics.Responses.WithLabels("none", "none", "GET", "404", "4xx", "no_route").Inc();

        var counts = ResponseCounts.From(metrics);

        Assert.Equal(6, counts.Requests);
        Assert.Equal(2, counts.ByOrigin["maintenance"]);
        Assert.Equal(new RouteCounts(5, 2, Maintenance: 2), counts.ByRoute["users-api"]);
    }

    [Fact]
    public void Two_replicas_counts_add_up_by_class_origin_and_route()
    {
        var a = new ResponseCounts(new() { ["2xx"] = 7 }, new() { ["upstream"] = 7 }, new() { ["users-api"] = new RouteCounts(7, 0) });
        var b = new ResponseCounts(new() { ["2xx"] = 5, ["5xx"] = 1 }, new() { ["upstream"] = 5, ["timeout"] = 1 },
            new() { ["users-api"] = new RouteCounts(5, 0), ["chaos"] = new RouteCounts(1, 1) });

        var sum = a.Plus(b);

        Assert.Equal(13, sum.Requests);
        Assert.Equal(12, sum.ByClass["2xx"]);
        Assert.Equal(1, sum.ByOrigin["timeout"]);
        Assert.Equal(new RouteCounts(12, 0), sum.ByRoute["users-api"]);
        Assert.Equal(new RouteCounts(1, 1), sum.ByRoute["chaos"]);
        Assert.Equal(7, a.Requests); // The parts are left as they were.
    }
}
