using Yarp.ReverseProxy.Model;

namespace Gateway.Errors.StatusGuide;

/// <summary>
/// A feature's contribution to the guide pages: the live facts its explanations name (a policy's limits, the
/// maintenance message). Features register one; the status guide depends on none of them.
/// </summary>
public interface IStatusFactSource
{
    /// <summary>Adds or overwrites facts; <paramref name="route"/> is null when the request named no known route.</summary>
    void AddFacts(RouteModel? route, Dictionary<string, string> facts);
}
