namespace Gateway.RateLimiting;

/// <summary>How many client partitions a policy's limiter holds now (the gateway_ratelimit_partitions gauge).</summary>
internal sealed class PartitionCount
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Opened() => Interlocked.Increment(ref _value);

    public void Closed() => Interlocked.Decrement(ref _value);
}
