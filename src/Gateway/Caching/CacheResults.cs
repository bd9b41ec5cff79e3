namespace Gateway.Caching;

/// <summary>The values of the result label of gateway_cache_requests_total.</summary>
internal static class CacheResults
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string Bypass = "bypass";
    public const string NotModified = "not_modified";
}
