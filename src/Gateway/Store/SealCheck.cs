namespace Gateway.Store;

/// <summary>What <see cref="StoreIntegrity"/> found on a value read back from Redis.</summary>
public enum SealCheck
{
    Valid,

    /// <summary>No tag at all: written by someone else, or by a gateway from before tags.</summary>
    Untagged,

    /// <summary>A tag that does not match: changed after the gateway wrote it, or tagged with another key.</summary>
    Forged,
}
