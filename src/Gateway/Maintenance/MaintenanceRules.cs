using Gateway.Configuration;

namespace Gateway.Maintenance;

/// <summary>
/// The rules of a maintenance window, for the <c>Maintenance</c> section (MaintenanceOptionsCheck) and the admin API's
/// <c>PUT /admin/maintenance</c>: each problem is the property it is about and what is wrong, and each caller names
/// the property its own way (<c>Maintenance:From</c>, <c>Field 'from'</c>).
/// </summary>
public static class MaintenanceRules
{
    public static IEnumerable<(string Property, string Problem)> UnknownRoutes(IEnumerable<string> routes, Func<string, bool> isRoute) =>
        routes.Where(route => !isRoute(route))
            .Select(route => (nameof(MaintenanceOptions.Routes), $"'{route}' is not a route in {ReverseProxySection.Routes}"));

    /// <param name="now">For a window set now (the admin API): its end must be ahead. A file's window may have ended; it is then inactive.</param>
    public static IEnumerable<(string Property, string Problem)> Problems(int? retryAfterSeconds, DateTimeOffset? from, DateTimeOffset? until, DateTimeOffset? now = null)
    {
        if (retryAfterSeconds < 1)
        {
            yield return (nameof(MaintenanceOptions.RetryAfterSeconds), "must be at least 1");
        }

        if (now is { } current && until is { } end && end <= current)
        {
            yield return (nameof(MaintenanceOptions.Until), "must be in the future");
        }

        if (from is { } start && until is { } stop && start >= stop)
        {
            yield return (nameof(MaintenanceOptions.From), $"must be before {nameof(MaintenanceOptions.Until)}");
        }
    }
}
