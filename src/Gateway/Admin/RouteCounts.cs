namespace Gateway.Admin;

/// <summary>One route's responses, its 5xx among them, and the 503s maintenance made (among the 5xx too: a planned answer, not a failure).</summary>
internal sealed record RouteCounts(double Requests, double Errors, double Maintenance = 0)
{
    /// <summary>The answers that say how the route serves: maintenance's left out.</summary>
    public double Served => Requests - Maintenance;

    /// <summary>The 5xx among <see cref="Served"/>.</summary>
    public double Failed => Errors - Maintenance;
}
