namespace Gateway.Store;

/// <summary>Every key the gateway keeps in the shared store (Redis), in one list. Rate limits use <c>gateway:ratelimit:*</c>.</summary>
public static class StoreKeys
{
    public const string ChangeChannel = "gateway:changes";
    public const string MaintenanceOverride = "gateway:maintenance:override";
    public const string Audit = "gateway:audit";
    public const string ReplicaCounts = "gateway:replicas";
}
