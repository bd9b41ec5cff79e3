namespace Gateway.Overload;

/// <summary>One concurrency limit: requests in progress, and a short bounded queue in front of it.</summary>
public sealed record ConcurrencyLimitOptions
{
    /// <summary>Requests forwarded at once; more wait in the queue or are shed.</summary>
    public int PermitLimit { get; init; } = 100;

    /// <summary>Requests that may wait for a permit (0: shed at once when all are taken).</summary>
    public int QueueLimit { get; init; }

    /// <summary>The longest a request waits in the queue before it is shed.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The Retry-After of a shed request.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    public IEnumerable<string> Problems()
    {
        if (PermitLimit < 1)
        {
            yield return $"PermitLimit: {PermitLimit} must be at least 1";
        }

        if (QueueLimit < 0)
        {
            yield return $"QueueLimit: {QueueLimit} must be 0 or more";
        }

        if (QueueTimeout <= TimeSpan.Zero && QueueLimit > 0)
        {
            yield return $"QueueTimeout: {QueueTimeout} must be more than 0 when QueueLimit is";
        }

        if (RetryAfterSeconds < 1)
        {
            yield return $"RetryAfterSeconds: {RetryAfterSeconds} must be at least 1";
        }
    }
}
