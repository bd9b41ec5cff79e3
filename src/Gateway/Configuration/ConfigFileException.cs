namespace Gateway.Configuration;

/// <summary>
/// The config file cannot serve at start: unreadable, not JSON, or a check failed. Its message is one line naming the
/// file and the reason, which Hosting/GatewayProgram prints instead of a stack trace.
/// </summary>
public sealed class ConfigFileException(string path, string reason) : InvalidOperationException($"The config file {path} {reason}")
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}
