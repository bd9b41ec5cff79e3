namespace Gateway.Admin;

/// <summary>One route's responses and its 5xx among them.</summary>
internal sealed record RouteCounts(double Requests, double Errors);
