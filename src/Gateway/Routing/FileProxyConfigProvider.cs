using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Routing;

/// <summary>
/// Feeds YARP from the <c>ReverseProxy</c> section. The section only changes after every config check
/// passed (see <see cref="ConfigFileSource"/>), so a rejected edit never reaches YARP.
/// </summary>
internal sealed class FileProxyConfigProvider : IProxyConfigProvider, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly ProxySnapshotHandoff _handoff;
    private readonly InMemoryConfigProvider _current;
    private readonly BoundRouteCache _bound;
    private readonly IDisposable _subscription;

    public FileProxyConfigProvider(IConfiguration configuration, ProxySnapshotHandoff handoff, BoundRouteCache bound)
    {
        _configuration = configuration;
        _handoff = handoff;
        _bound = bound;
        var snapshot = ReadValid() ?? throw new InvalidOperationException($"The {ProxyConfigReader.SectionName} section is not valid; run the config checks first.");
        _current = new InMemoryConfigProvider(snapshot.Routes, snapshot.Clusters);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Refresh);
    }

    public IProxyConfig GetConfig() => _current.GetConfig();

    /// <summary>Throws on a section the checks should have refused: the config file's provider then restores the last good config everywhere.</summary>
    private void Refresh()
    {
        var snapshot = ReadValid() ?? throw new InvalidOperationException($"The {ProxyConfigReader.SectionName} section is not valid; the routes were not changed.");
        _current.Update(snapshot.Routes, snapshot.Clusters);
    }

    private ProxySnapshot? ReadValid()
    {
        if (_handoff.Take(ConfigCandidate.FileDataOf(_configuration)) is { } checkedSnapshot)
        {
            return checkedSnapshot;
        }

        var errors = new List<string>();
        var snapshot = ProxyConfigReader.Read(_configuration, errors, _bound);
        return errors.Count == 0 ? snapshot : null;
    }

    public void Dispose() => _subscription.Dispose();
}
