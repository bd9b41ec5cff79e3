namespace Gateway.Maintenance;

public sealed class MaintenanceAllowList
{
    public List<string> Roles { get; init; } = ["admin"];

    public List<string> ClientIps { get; init; } = [];
}
