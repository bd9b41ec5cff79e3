using System.Text.Json;
using Gateway.Errors;
using Gateway.Maintenance;
using Gateway.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Yarp.ReverseProxy;

namespace Gateway.Admin;

internal static class MaintenanceEndpoints
{
    public static RouteGroupBuilder MapMaintenanceAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/maintenance", (MaintenanceState state) => Answer(state));
        admin.MapPut("/maintenance", PutAsync);
        admin.MapDelete("/maintenance", (HttpContext context, MaintenanceState state, AdminAudit audit) =>
            ChangeAsync(context, audit, state, "maintenance.end", state.EndAsync));
        return admin;
    }

    private static async Task<IResult> PutAsync(HttpRequest request, MaintenanceState state, IProxyStateLookup proxy, AdminAudit audit)
    {
        var (body, error) = await AdminJson.ReadAsync<MaintenanceRequest>(request);
        if (error is not null)
        {
            return error;
        }

        var now = state.Now;
        var routes = body!.Routes ?? [];
        // The section's rules (Maintenance/MaintenanceRules), named as the body's fields; the first problem answers.
        var problem = body.Enabled is null ? "Field 'enabled' is required."
            : MaintenanceRules.UnknownRoutes(routes, id => proxy.TryGetRoute(id, out _)).Concat(MaintenanceRules.Problems(body.RetryAfterSeconds, body.From, body.Until, now))
                .Select(found => $"Field '{JsonNamingPolicy.CamelCase.ConvertName(found.Property)}': {found.Problem}.").FirstOrDefault();
        if (problem is not null)
        {
            return AdminJson.Problem(StatusCodes.Status422UnprocessableEntity, problem);
        }

        var defaults = state.Window;
        var window = new MaintenanceWindow(
            body.Enabled!.Value, routes.ToArray(), body.Message ?? defaults.Message,
            body.RetryAfterSeconds ?? defaults.RetryAfterSeconds, body.From, body.Until, "admin", now);
        return await ChangeAsync(request.HttpContext, audit, state, "maintenance.set", () => state.SetAsync(window));
    }

    /// <summary>Applies a change on every replica and audits it; with the store away, nothing changes anywhere (503).</summary>
    private static async Task<IResult> ChangeAsync(HttpContext context, AdminAudit audit, MaintenanceState state, string action, Func<Task> change)
    {
        try
        {
            await change();
        }
        catch (StoreUnavailableException unavailable)
        {
            return GatewayAnswers.Result(new(StatusCodes.Status503ServiceUnavailable, GatewayOrigin.Gateway,
                $"{unavailable.Message} The change was not made on any replica; try again when it returns.", StoreUnavailableException.RetryAfter));
        }

        try
        {
            await audit.RecordAsync(context, action, Describe(state));
        }
        catch (StoreUnavailableException)
        {
            // The store went away between the change and its audit entry: the change stands; say what the audit lacks.
            audit.NotKept(action);
        }

        return Answer(state);
    }

    private static IResult Answer(MaintenanceState state) => TypedResults.Ok(Describe(state));

    /// <summary>The maintenance state as the admin API and the status page show it.</summary>
    public static object Describe(MaintenanceState state)
    {
        var window = state.Window;
        var now = state.Now;
        return new
        {
            enabled = window.Enabled,
            active = window.IsActive(now),
            routes = window.Routes,
            scope = window.Routes.Count == 0 ? "gateway" : "routes",
            message = window.Message,
            retryAfterSeconds = window.RetryAfterSeconds,
            from = window.From,
            until = window.Until,
            source = window.Source,
            changedAt = window.ChangedAt,
        };
    }
}
