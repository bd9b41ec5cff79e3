namespace Gateway.Maintenance;

/// <summary>
/// An admin change as kept in the shared store: the window, and the <c>Maintenance</c> section it was made against
/// (a digest). A replica applies it only while its own file has that section: an edit of the section (which, in
/// Kubernetes, rolls out new pods) replaces admin changes made before it on every replica, with no clock to compare.
/// </summary>
public sealed record MaintenanceOverride(MaintenanceWindow Window, string BasedOn);
