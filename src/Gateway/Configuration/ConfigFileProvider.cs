using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Configuration;

/// <summary>
/// The watched config file. A reload runs on a timer's thread, where an exception would end the process: every
/// failure there (a file that cannot be read or parsed, a check that throws, a listener that throws while applying)
/// is a rejected edit, and the last good config keeps serving.
/// </summary>
internal sealed class ConfigFileProvider : ConfigurationProvider, IDisposable
{
    /// <summary>How every error of a listener that failed to apply a checked edit starts (<see cref="ConfigSections"/>: <c>apply</c>).</summary>
    public const string ApplyErrorPrefix = "apply: ";

    private const int ReadAttempts = 5;
    private readonly ConfigFileSource _source;
    private readonly PhysicalFileProvider _directory;
    private readonly IDisposable _watch;
    private readonly Timer _debounce;
    private readonly Lock _reloadGate = new();
    private string? _lastText;
    private ChildKeyIndex? _index;
    private long _reloadStarted;

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

    /// <summary>Initial load: there is no last good content yet, so a broken file stops the start (one line, see <see cref="ConfigFileException"/>).</summary>
    public override void Load()
    {
        if (!ConfigFileText.TryRead(_source.Path, out var text, out var reason))
        {
            throw new ConfigFileException(_source.Path, reason);
        }

        if (!ConfigJson.TryParse(text, out var data, out var error))
        {
            throw new ConfigFileException(_source.Path, $"is {error}");
        }

        _lastText = text;
        Data = data;
        _source.Status.RecordApplied(DateTimeOffset.UtcNow);
    }

    /// <summary>From an index of the current data, built once per load or edit: the edit's check built it (<see cref="ChildKeyIndex"/>).</summary>
    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var index = _index;
        if (index is null || !ReferenceEquals(index.Data, Data))
        {
            _index = index = ChildKeyIndex.Of(Data);
        }

        return index.GetChildKeys(earlierKeys, parentPath);
    }

    public override void Set(string key, string? value)
    {
        base.Set(key, value);
        ChildKeyIndex.Forget(Data);
        _index = null;
    }

    /// <summary>The data serving now (its identity tells an applied edit from the candidate it was checked as, see <see cref="ConfigCandidate.FileDataOf"/>).</summary>
    public IDictionary<string, string?> CurrentData => Data;

    private void Reload()
    {
        lock (_reloadGate)
        {
            _reloadStarted = Stopwatch.GetTimestamp();
            try
            {
                ReloadOnce();
            }
            catch (Exception ex)
            {
                // The last line: nothing below should throw, but an exception here would end the process.
                Reject([$"{ApplyErrorPrefix}the reload failed unexpectedly ({Describe(ex)}); the last good config keeps serving"], ex);
            }
        }
    }

    private void ReloadOnce()
    {
        var text = ReadWithRetries(out var readError);
        if (text is null)
        {
            Reject([readError!]);
            return;
        }

        if (text == _lastText)
        {
            // The last good content is back (an undo, a git checkout): it is what serves, so say so.
            if (_source.Status.Last is { Succeeded: false })
            {
                _source.Status.RecordApplied(DateTimeOffset.UtcNow, ReloadTook);
                _source.Logger?.LogConfigApplied(_source.Path);
            }

            return;
        }

        var errors = Check(text, out var data);
        if (errors.Count > 0)
        {
            Reject(errors);
            return;
        }

        var lastGood = Data;
        Data = data;
        // Listeners (YARP, options monitors, OnChange callbacks) apply the new data synchronously here; count it applied after them.
        if (Notify() is not { } failure)
        {
            _lastText = text;
            _source.Status.RecordApplied(DateTimeOffset.UtcNow, ReloadTook);
            _source.Logger?.LogConfigApplied(_source.Path);
            return;
        }

        // Some listeners applied the edit, one did not: give every listener the last good data again, so none is left on the edit.
        Data = lastGood;
        var outcome = Notify() is { } restore
            ? $"restoring the last good config failed too ({string.Join("; ", restore.Errors)})"
            : "the last good config was restored in every listener";
        Reject([.. failure.Errors, $"{ApplyErrorPrefix}the edit passed every check but could not be applied; {outcome}"], failure.Exception);
    }

    /// <summary>Tells every listener; null when all applied the data, else what failed (an exception, or a listener's own report).</summary>
    private (List<string> Errors, Exception? Exception)? Notify()
    {
        var reported = _source.Status.BeginApply();
        try
        {
            OnReload();
        }
        catch (Exception ex)
        {
            // CancellationTokenSource runs every callback, then throws them all together: each failed listener is named.
            var thrown = (ex is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [ex])
                .Select(inner => $"{ApplyErrorPrefix}{Describe(inner)}");
            return ([.. thrown, .. reported.Select(error => ApplyErrorPrefix + error)], ex);
        }
        finally
        {
            _source.Status.EndApply();
        }

        return reported.Count > 0 ? ([.. reported.Select(error => ApplyErrorPrefix + error)], null) : null;
    }

    /// <summary>Since this reload began reading the file (the debounce before it not counted).</summary>
    private TimeSpan ReloadTook => Stopwatch.GetElapsedTime(_reloadStarted);

    private void Reject(IReadOnlyList<string> errors, Exception? exception = null)
    {
        _source.Status.RecordRejected(DateTimeOffset.UtcNow, errors, ReloadTook);
        _source.Logger?.LogConfigRejected(exception, _source.Path, string.Join(Environment.NewLine + "  ", errors));
    }

    private IReadOnlyList<string> Check(string text, out IDictionary<string, string?> data)
    {
        if (!ConfigJson.TryParse(text, out data, out var parseError))
        {
            return [parseError];
        }

        try
        {
            return _source.Validate?.Invoke(this, data) ?? [];
        }
        catch (Exception ex)
        {
            return [$"{ApplyErrorPrefix}a config check failed unexpectedly ({Describe(ex)})"];
        }
    }

    /// <summary>
    /// Editors truncate and then write, some delete and create: an empty, missing or locked file is read again a few
    /// times (a second in all) before it is a rejected edit; a directory, a dangling link, an oversized or non-UTF-8 file is one at once.
    /// </summary>
    private string? ReadWithRetries(out string? error)
    {
        for (var attempt = 1; ; attempt++)
        {
            var read = ConfigFileText.TryRead(_source.Path, out var text, out var reason);
            var transient = read ? text!.Length == 0 : reason!.StartsWith("does not exist", StringComparison.Ordinal) || reason.StartsWith("cannot be read", StringComparison.Ordinal);
            if (!transient || attempt == ReadAttempts)
            {
                error = read ? null : ConfigFileText.Error(_source.Path, reason!);
                return text;
            }

            Thread.Sleep(100 * attempt);
        }
    }

    private static string Describe(Exception ex)
    {
        while (ex is System.Reflection.TargetInvocationException { InnerException: { } inner })
        {
            ex = inner;
        }

        return $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
    }

    public void Dispose()
    {
        _watch.Dispose();
        _debounce.Dispose();
        _directory.Dispose();
    }
}
