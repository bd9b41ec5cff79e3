namespace Gateway.Store;

/// <summary>The shared store could not be reached; the message says why, without its address.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>What an admin call refused for it tells the client to wait: a few reconnect attempts of the store.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
}
