namespace Gateway.Configuration;

public sealed record ConfigLoadAttempt(DateTimeOffset At, bool Succeeded, IReadOnlyList<string> Errors);
