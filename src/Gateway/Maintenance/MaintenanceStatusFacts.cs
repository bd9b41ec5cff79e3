using System.Globalization;
using Gateway.Errors.StatusGuide;
using Yarp.ReverseProxy.Model;

namespace Gateway.Maintenance;

/// <summary>The maintenance page's facts: the message, the planned end, and the wait its Retry-After gives.</summary>
internal sealed class MaintenanceStatusFacts(MaintenanceState maintenance) : IStatusFactSource
{
    public void AddFacts(RouteModel? route, Dictionary<string, string> facts)
    {
        var window = maintenance.Window;
        facts["maintenanceMessage"] = window.Message;
        facts["maintenanceUntil"] = window.Until?.ToString("O", CultureInfo.InvariantCulture) ?? "no end time set";
        // Its own name, not "retryAfter": a route with a policy can be in maintenance too, and each page names its own wait.
        facts["maintenanceRetryAfter"] = StatusFacts.Seconds(window.RetryAfter(maintenance.Now));
    }
}
