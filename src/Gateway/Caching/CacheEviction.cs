using Gateway.Utilities;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Caching;

/// <summary>
/// Drops a route's cache entries (tagged with its id) when an applied config changes the route or removes it, so an
/// edit never serves answers made under the old route (another cluster, path transforms, headers).
/// </summary>
internal sealed partial class CacheEviction(IOutputCacheStore store, ILogger<CacheEviction> logger) : IConfigChangeListener
{
    private Dictionary<string, RouteConfig>? _applied;

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        var current = proxyConfigs.SelectMany(config => config.Routes).ToDictionary(route => route.RouteId, StringComparer.OrdinalIgnoreCase);
        var previous = Interlocked.Exchange(ref _applied, current);
        if (previous is null)
        {
            return;
        }

        foreach (var (routeId, route) in previous)
        {
            if (!current.TryGetValue(routeId, out var now) || !now.Equals(route))
            {
                _ = EvictAsync(routeId);
            }
        }
    }

    private async Task EvictAsync(string routeId)
    {
        try
        {
            await store.EvictByTagAsync(routeId, CancellationToken.None);
            LogEvicted(logger, routeId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEvictionFailed(logger, routeId, ex);
        }
    }

    [LoggerMessage(EventId = EventIds.CacheEvicted, Level = LogLevel.Information, Message = "Route {RouteId} changed: its cached answers were dropped")]
    private static partial void LogEvicted(ILogger logger, string routeId);

    [LoggerMessage(EventId = EventIds.CacheEvictionFailed, Level = LogLevel.Warning, Message = "Route {RouteId} changed but its cached answers could not be dropped now (the cache store is unreachable); they are dropped before the cache is read again")]
    private static partial void LogEvictionFailed(ILogger logger, string routeId, Exception exception);
}
