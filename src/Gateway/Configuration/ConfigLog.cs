using Gateway.Utilities;
using Microsoft.Extensions.Logging;

namespace Gateway.Configuration;

internal static partial class ConfigLog
{
    [LoggerMessage(EventId = EventIds.ConfigApplied, Level = LogLevel.Information, Message = "Applied the edited config file {Path}")]
    public static partial void LogConfigApplied(this ILogger logger, string path);

    [LoggerMessage(EventId = EventIds.ConfigRejected, Level = LogLevel.Error,
        Message = "Rejected the edited config file {Path}; the last good config keeps serving. What is wrong:\n  {Errors}")]
    public static partial void LogConfigRejected(this ILogger logger, Exception? exception, string path, string errors);
}
