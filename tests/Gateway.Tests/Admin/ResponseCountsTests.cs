using System.Text.Json;
using Gateway.Admin;
using Gateway.Observability;

namespace Gateway.Tests.Admin;

public sealed class ResponseCountsTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

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

    [Fact]
    public void A_replicas_malformed_grpc_counts_from_the_store_are_left_out_and_break_nothing()
    {
        // Another replica's record (from Redis): a null map, a null route entry, a key that is not origin/CODE.
        var absent = JsonSerializer.Deserialize<ResponseCounts>("""{"byClass":{},"byOrigin":{},"byRoute":{},"grpc":null}""", Web)!;
        var odd = JsonSerializer.Deserialize<ResponseCounts>(
            """{"byClass":{},"byOrigin":{},"byRoute":{},"grpc":{"a":null,"b":{"NOSLASH":3,"upstream/NOT_FOUND":1}}}""", Web)!;

        var sum = ResponseCounts.Empty().Plus(absent).Plus(odd);

        Assert.False(sum.Grpc.ContainsKey("a"));
        var view = JsonSerializer.Serialize(RouteGrpcView.Describe(sum.Grpc["b"]), Web);
        Assert.Equal("""{"responses":1,"errors":1,"upstream":1,"gateway":0,"client":0,"byOrigin":{"upstream":{"NOT_FOUND":1}}}""", view);
    }

    [Fact]
    public void Grpc_outcomes_are_read_per_route_added_across_replicas_and_kept_per_bucket_only_where_they_grew()
    {
        var metrics = new ObservabilityMetrics();
        metrics.GrpcResponses.WithLabels("grpc", "OK", "upstream").Inc(4);
        metrics.GrpcResponses.WithLabels("grpc", "NOT_FOUND", "upstream").Inc();
        var before = ResponseCounts.From(metrics);
        metrics.GrpcResponses.WithLabels("grpc", "RESOURCE_EXHAUSTED", "ratelimit").Inc(2);

        var now = ResponseCounts.From(metrics);
        var sum = now.Plus(now);
        var growth = now.Since(before);

        Assert.Equal(new Dictionary<string, double> { ["upstream/OK"] = 4, ["upstream/NOT_FOUND"] = 1, ["ratelimit/RESOURCE_EXHAUSTED"] = 2 }, now.Grpc["grpc"]);
        Assert.Equal(4, sum.Grpc["grpc"]["ratelimit/RESOURCE_EXHAUSTED"]);
        Assert.Equal(new Dictionary<string, double> { ["ratelimit/RESOURCE_EXHAUSTED"] = 2 }, growth.Grpc["grpc"]);
        Assert.Empty(now.Since(now).Grpc);
    }

    [Fact]
    public void A_replica_that_published_no_grpc_counts_reads_as_none()
    {
        var published = JsonSerializer.Deserialize<ResponseCounts>("""{"byClass":{"2xx":1},"byOrigin":{"upstream":1},"byRoute":{"users-api":{"requests":1}}}""", Web)!;

        Assert.Empty(published.Grpc);
        Assert.Equal(1, published.Plus(ResponseCounts.Empty()).Requests);
    }
}
