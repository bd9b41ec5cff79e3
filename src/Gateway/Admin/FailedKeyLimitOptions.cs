namespace Gateway.Admin;

/// <summary>
/// <c>Admin:FailedKeyLimit</c>: a client address that sends <see cref="PermitLimit"/> wrong admin keys within a
/// <see cref="Window"/> gets 429 for every admin request until the window ends. An edit starts every count anew.
/// </summary>
public sealed class FailedKeyLimitOptions
{
    public int PermitLimit { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);
}
