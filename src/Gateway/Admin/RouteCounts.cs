using System.Text.Json.Serialization;

namespace Gateway.Admin;

/// <summary>One route's responses, its 5xx among them, and the 503s maintenance made (among the 5xx too: a planned answer, not a failure).</summary>
internal sealed record RouteCounts(
    double Requests,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double Errors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double Maintenance = 0)
{
    /// <summary>The answers that say how the route serves: maintenance's left out.</summary>
    [JsonIgnore]
    public double Served => Requests - Maintenance;

    /// <summary>The 5xx among <see cref="Served"/>.</summary>
    [JsonIgnore]
    public double Failed => Errors - Maintenance;
}
