using Gateway.Admin;

namespace Gateway.Tests.Admin;

public sealed class RouteStateTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly string[] One = ["closed-port"];
    private static readonly string[] Two = ["users-1", "users-2"];

    [Fact]
    public void A_route_whose_answers_are_all_502_is_failing_though_its_destination_is_not_known_to_be_out()
    {
        var state = RouteState.Judge(false, One, [], new RouteCounts(7, 7), TimeSpan.FromMinutes(5));
        Assert.Equal(new RouteState("failing", "100% of 7 answers in the last 5 minutes were 5xx"), state);
    }

    [Fact]
    public void A_route_with_few_5xx_and_its_destinations_in_is_serving()
    {
        Assert.Equal("serving", RouteState.Judge(false, Two, [], new RouteCounts(200, 3), Minute).State);
        Assert.Equal("serving", RouteState.Judge(false, Two, [], new RouteCounts(0, 0), Minute).State);
    }

    [Theory]
    [InlineData(10, 6, "failing")]
    [InlineData(10, 5, "degraded")] // half is not more than half
    [InlineData(10, 2, "degraded")]
    [InlineData(10, 1, "serving")] // a tenth is not more than a tenth
    [InlineData(2, 2, "serving")] // two answers are too few to judge by
    [InlineData(3, 3, "failing")]
    public void The_share_of_5xx_decides_once_there_are_enough_answers(double answers, double errors, string expected) =>
        Assert.Equal(expected, RouteState.Judge(false, Two, [], new RouteCounts(answers, errors), Minute).State);

    [Fact]
    public void Destinations_out_make_a_route_degraded_or_when_all_are_out_failing()
    {
        Assert.Equal(new RouteState("degraded", "users-1 out, 1 of 2 serving"), RouteState.Judge(false, Two, ["users-1"], new RouteCounts(50, 0), Minute));
        Assert.Equal(new RouteState("failing", "all 2 destinations are out"), RouteState.Judge(false, Two, Two, new RouteCounts(0, 0), Minute));
        Assert.Equal(new RouteState("failing", "its destination is out"), RouteState.Judge(false, One, One, new RouteCounts(0, 0), Minute));
        Assert.Equal("failing", RouteState.Judge(false, [], [], new RouteCounts(0, 0), Minute).State);
    }

    [Fact]
    public void Maintenance_says_so_and_its_own_503s_do_not_count_as_failures_afterwards()
    {
        Assert.Equal("maintenance", RouteState.Judge(true, Two, Two, new RouteCounts(10, 10, 10), Minute).State);
        // Just after maintenance ended: 40 of its 503s and 10 good answers in the last minute.
        Assert.Equal("serving", RouteState.Judge(false, Two, [], new RouteCounts(50, 40, 40), Minute).State);
    }
}
