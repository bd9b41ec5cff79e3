namespace Gateway.Configuration;

/// <param name="Took">From reading the edited file to applied or rejected (checks and apply included); null for the load at start.</param>
public sealed record ConfigLoadAttempt(DateTimeOffset At, bool Succeeded, IReadOnlyList<string> Errors, TimeSpan? Took = null);
