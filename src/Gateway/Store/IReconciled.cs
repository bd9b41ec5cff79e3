namespace Gateway.Store;

/// <summary>State kept in the shared store: re-read after a change message, every reconcile interval and when the store returns.</summary>
public interface IReconciled
{
    Task ReconcileAsync(CancellationToken cancellationToken);
}
