namespace Gateway.Store;

/// <summary>Since when the shared store has been unreachable, and the last reason.</summary>
public sealed record StoreOutage(DateTimeOffset Since, string Reason);
