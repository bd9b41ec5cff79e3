namespace Gateway.Store;

/// <summary>The shared store could not be reached; the message says why, without its address.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
