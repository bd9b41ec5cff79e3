using Gateway.Configuration;
using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>YARP keeps the previous routes when it refuses a config; make that refusal visible, not just logged by YARP.</summary>
internal sealed partial class ProxyConfigListener(ConfigReloadStatus status, ILogger<ProxyConfigListener> logger) : IConfigChangeListener
{
    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception) => Refused(exception);

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception) => Refused(exception);

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    private void Refused(Exception exception)
    {
        var errors = exception is AggregateException aggregate
            ? aggregate.InnerExceptions.Select(inner => inner.Message).ToArray()
            : [exception.Message];
        // During a reload the config file's provider restores the last good config everywhere, not only in YARP.
        status.RecordListenerFailure(errors);
        LogRefused(logger, string.Join("; ", errors));
    }

    [LoggerMessage(EventId = EventIds.RoutesRefusedByYarp, Level = LogLevel.Error, Message = "YARP refused the new routes and keeps the previous ones: {Errors}")]
    private static partial void LogRefused(ILogger logger, string errors);
}
