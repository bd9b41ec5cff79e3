namespace Gateway.Configuration;

/// <summary>Outcome of the latest load of the route file, for health checks, logs and metrics.</summary>
public sealed class ConfigReloadStatus
{
    private ConfigLoadAttempt? _last;
    private long _applied;
    private long _rejected;
    private List<string>? _applying;

    public ConfigLoadAttempt? Last => Volatile.Read(ref _last);

    public long Applied => Interlocked.Read(ref _applied);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>
    /// A reload listener that cannot throw into the reload (YARP refuses routes inside its own try) says here that it
    /// did not apply the edit: during an apply the config file's provider collects it and restores the last good
    /// config; at any other time it is a rejection.
    /// </summary>
    internal void RecordListenerFailure(IReadOnlyList<string> errors)
    {
        if (Volatile.Read(ref _applying) is { } failures)
        {
            lock (failures)
            {
                failures.AddRange(errors);
            }

            return;
        }

        RecordRejected(DateTimeOffset.UtcNow, errors);
    }

    internal void RecordApplied(DateTimeOffset at, TimeSpan? took = null)
    {
        Interlocked.Increment(ref _applied);
        Volatile.Write(ref _last, new ConfigLoadAttempt(at, true, [], took));
    }

    internal void RecordRejected(DateTimeOffset at, IReadOnlyList<string> errors, TimeSpan? took = null)
    {
        Interlocked.Increment(ref _rejected);
        Volatile.Write(ref _last, new ConfigLoadAttempt(at, false, errors, took));
    }

    /// <summary>Starts collecting <see cref="RecordListenerFailure"/>s (the provider applies one edit at a time).</summary>
    internal List<string> BeginApply()
    {
        var failures = new List<string>();
        Volatile.Write(ref _applying, failures);
        return failures;
    }

    internal void EndApply() => Volatile.Write(ref _applying, null);
}
