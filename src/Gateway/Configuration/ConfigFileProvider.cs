using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Configuration;

internal sealed class ConfigFileProvider : ConfigurationProvider, IDisposable
{
    private const int ReadAttempts = 5;
    private readonly ConfigFileSource _source;
    private readonly PhysicalFileProvider _directory;
    private readonly IDisposable _watch;
    private readonly Timer _debounce;
    private readonly Lock _reloadGate = new();
    private string? _lastText;

    public ConfigFileProvider(ConfigFileSource source)
    {
        _source = source;
        var directory = Path.GetDirectoryName(source.Path)!;
        // DOTNET_USE_POLLING_FILE_WATCHER=1 switches this to polling (bind mounts on Docker Desktop).
        _directory = new PhysicalFileProvider(directory);
        _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        _watch = ChangeToken.OnChange(
            () => _directory.Watch(Path.GetFileName(source.Path)),
            () => _debounce.Change(source.Debounce, Timeout.InfiniteTimeSpan));
    }

    /// <summary>Initial load: there is no last good content yet, so a broken file stops the start.</summary>
    public override void Load()
    {
        var text = File.ReadAllText(_source.Path);
        if (!ConfigJson.TryParse(text, out var data, out var error))
        {
            throw new InvalidDataException($"{_source.Path}: {error}");
        }

        _lastText = text;
        Data = data;
        _source.Status.RecordApplied(DateTimeOffset.UtcNow);
    }

    private void Reload()
    {
        lock (_reloadGate)
        {
            var text = ReadWithRetries();
            if (text is null)
            {
                return;
            }

            if (text == _lastText)
            {
                // The last good content is back (an undo, a git checkout): it is what serves, so say so.
                if (_source.Status.Last is { Succeeded: false })
                {
                    _source.Status.RecordApplied(DateTimeOffset.UtcNow);
                    _source.Logger?.LogConfigApplied(_source.Path);
                }

                return;
            }

            var errors = Check(text, out var data);
            if (errors.Count > 0)
            {
                _source.Status.RecordRejected(DateTimeOffset.UtcNow, errors);
                _source.Logger?.LogConfigRejected(_source.Path, string.Join(Environment.NewLine + "  ", errors));
                return;
            }

            _lastText = text;
            Data = data;
            // Listeners (YARP, options monitors) apply the new data synchronously here; count it applied after them.
            OnReload();
            _source.Status.RecordApplied(DateTimeOffset.UtcNow);
            _source.Logger?.LogConfigApplied(_source.Path);
        }
    }

    private IReadOnlyList<string> Check(string text, out IDictionary<string, string?> data)
    {
        if (!ConfigJson.TryParse(text, out data, out var parseError))
        {
            return [parseError];
        }

        return _source.Validate?.Invoke(this, data) ?? [];
    }

    /// <summary>Editors truncate and then write: a file read mid-save is retried, a vanished one waits for the next event.</summary>
    private string? ReadWithRetries()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var text = File.ReadAllText(_source.Path, Encoding.UTF8);
                if (text.Length > 0 || attempt == ReadAttempts)
                {
                    return text;
                }
            }
            catch (IOException) when (attempt < ReadAttempts)
            {
            }
            catch (IOException)
            {
                return null;
            }

            Thread.Sleep(100 * attempt);
        }
    }

    public void Dispose()
    {
        _watch.Dispose();
        _debounce.Dispose();
        _directory.Dispose();
    }
}
