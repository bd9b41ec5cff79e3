namespace Gateway.Errors;

/// <summary>The detail of the problem the gateway wrote, for <c>Proxy-Status</c>'s <c>details</c> when that is turned on.</summary>
internal sealed class ProblemDetailFeature(string detail)
{
    public string Detail { get; } = detail;
}
