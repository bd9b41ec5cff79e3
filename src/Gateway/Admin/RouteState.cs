namespace Gateway.Admin;

/// <summary>
/// What the status page says of a route, in words and a colour: <c>failing</c> when none of its destinations can take
/// requests or more than half of its recent answers were 5xx, <c>degraded</c> when some destinations are out or more
/// than a tenth of its recent answers were 5xx, <c>maintenance</c>, else <c>serving</c>. Maintenance's own 503s are
/// not counted. A share needs at least <see cref="MinAnswers"/> answers.
/// </summary>
internal sealed record RouteState(string State, string Reason)
{
    public const int MinAnswers = 3;
    public const double FailingShare = 0.5;
    public const double DegradedShare = 0.1;

    public static RouteState Judge(bool inMaintenance, IReadOnlyList<string> destinations, IReadOnlyList<string> unhealthy, RouteCounts recent, TimeSpan over)
    {
        if (inMaintenance)
        {
            return new("maintenance", "in maintenance: answers 503");
        }

        var window = over >= TimeSpan.FromMinutes(5) ? "the last 5 minutes" : "the last minute";
        var share = recent.Served >= MinAnswers ? recent.Failed / recent.Served : 0;
        var errors = $"{share * 100:0}% of {recent.Served:0} answers in {window} were 5xx";
        if (destinations.Count == 0)
        {
            return new("failing", "no destination");
        }

        if (unhealthy.Count == destinations.Count)
        {
            return new("failing", destinations.Count == 1 ? "its destination is out" : $"all {destinations.Count} destinations are out");
        }

        if (share > FailingShare)
        {
            return new("failing", errors);
        }

        if (unhealthy.Count > 0)
        {
            return new("degraded", $"{string.Join(", ", unhealthy)} out, {destinations.Count - unhealthy.Count} of {destinations.Count} serving");
        }

        return share > DegradedShare ? new("degraded", errors) : new("serving", "");
    }
}
