using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Deploy.Tests.Infrastructure;

/// <summary>
/// A compose service's image started the way Docker starts its container, without Docker: the image's
/// ENTRYPOINT and compose's <c>command:</c> (or the image's CMD) run exactly as written, as PID 1 of a PID
/// namespace of their own, with only the environment a container has (the image's ENV, then compose's
/// <c>environment:</c>). What cannot be the same on one host is moved, and nothing else: the ports the service
/// listens on become free ones (in URLs, <c>*_PORT(S)</c> values and healthcheck commands alike), and
/// container paths become the host folders that stand for them (compose's bind mounts, the image's files).
/// </summary>
internal sealed partial class Container : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _namespace;
    private readonly StringBuilder _output = new();
    private readonly string _home;

    private Container(string service, Process @namespace, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<int, int> ports, string home)
    {
        Service = service;
        _namespace = @namespace;
        Environment = environment;
        Ports = ports;
        _home = home;
    }

    public string Service { get; }

    /// <summary>The container's environment as given to the entrypoint (compose's values with ports and paths moved).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Container port → the free host port that stands for it.</summary>
    public IReadOnlyDictionary<int, int> Ports { get; }

    /// <summary>The host pid of the container's PID 1 (0 until it is known).</summary>
    public int Pid { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<Container> StartAsync(string service, BuiltImage image, Map compose)
    {
        var environment = new Dictionary<string, string>(image.Environment, StringComparer.Ordinal);
        foreach (var (key, value) in Compose.Environment(compose))
        {
            environment[key] = value;
        }

        var ports = FreePortsFor(Compose.ListenPorts(compose).Concat(environment.Where(pair => IsPortVariable(pair.Key)).SelectMany(pair => NumbersIn(pair.Value))));
        foreach (var key in environment.Keys.ToList())
        {
            environment[key] = MovePorts(MovePath(environment[key], image, compose), ports, IsPortVariable(key));
        }

        var home = Path.Combine(image.Root, "home", service);
        Directory.CreateDirectory(home);
        environment.TryAdd("HOSTNAME", service);
        environment.TryAdd("HOME", home);

        var argv = image.Entrypoint.Concat(compose.Has("command") ? Compose.Command(compose) : image.Command)
            .Select((word, index) => index == 0 && word.StartsWith('/') && File.Exists(image.HostPath(word)) ? image.HostPath(word) : MovePorts(word, ports, bareNumbers: false))
            .ToList();
        Assert.True(argv.Count > 0, $"{service}: the image has neither ENTRYPOINT nor CMD");

        var start = new ProcessStartInfo("/usr/bin/unshare")
        {
            WorkingDirectory = image.HostPath(image.WorkingDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--pid", "--fork", "--mount-proc", "--kill-child", "--", .. argv])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var container = new Container(service, process, environment, ports, home);
        process.OutputDataReceived += (_, e) => container.Append(e.Data);
        process.ErrorDataReceived += (_, e) => container.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await container.WaitForAppAsPid1Async();
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }

        return container;
    }

    /// <summary>The environment PID 1 really has (read from /proc, as <c>cat /proc/1/environ</c> in the container).</summary>
    public IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in File.ReadAllText($"/proc/{Pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=', 2);
            result[parts[0]] = parts.Length == 2 ? parts[1] : "";
        }

        return result;
    }

    /// <summary>The executable of PID 1 (a shell here means the entrypoint did not exec the app).</summary>
    public string Pid1Executable() => Path.GetFileName(File.ResolveLinkTarget($"/proc/{Pid}/exe", returnFinalTarget: true)?.FullName ?? "");

    /// <summary>Waits until the service answers HTTP on a container port (any status), or fails with its output.</summary>
    public async Task WaitForHttpAsync(int containerPort, string path = "/healthz")
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_namespace.HasExited)
            {
                Assert.Fail($"{Service} exited ({_namespace.ExitCode}) before it answered on port {containerPort}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{Ports[containerPort]}{path}"));
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Service} did not answer on port {containerPort} within {StartTimeout.TotalSeconds} s:\n{Output}");
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Runs a healthcheck (compose's test form: CMD ... or CMD-SHELL text) as Docker does: inside the
    /// container while it runs, with its environment; once it has stopped, on the host (its ports are closed).</summary>
    public async Task<(int ExitCode, string Output)> RunHealthCheckAsync(IReadOnlyList<string> test)
    {
        var command = test[0] switch
        {
            "CMD" => test.Skip(1).ToList(),
            "CMD-SHELL" => ["/bin/sh", "-c", string.Join(' ', test.Skip(1))],
            _ => throw new NotSupportedException($"healthcheck test {string.Join(' ', test)}"),
        };
        var moved = command.Select(word => MovePorts(word, Ports, bareNumbers: false)).ToList();
        var inside = !_namespace.HasExited;
        var start = new ProcessStartInfo(inside ? "/usr/bin/nsenter" : moved[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in inside ? ["--target", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pid", "--mount", "--", .. moved] : moved.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 15 s");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>What <c>docker stop</c> does: SIGTERM to PID 1, then waits for the container to end.</summary>
    public async Task StopAsync()
    {
        if (_namespace.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("/bin/kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _namespace.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _namespace.Kill(entireProcessTree: true);
            await _namespace.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_namespace.HasExited)
        {
            _namespace.Kill(entireProcessTree: true); // --kill-child takes the namespace's processes with it
            await _namespace.WaitForExitAsync();
        }

        _namespace.Dispose();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // the image folder is removed with the fixture anyway
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Waits for unshare's child and for it to be the app, not unshare or a shell still starting it.</summary>
    private async Task WaitForAppAsPid1Async()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var children = $"/proc/{_namespace.Id}/task/{_namespace.Id}/children";
        while (true)
        {
            if (_namespace.HasExited)
            {
                Assert.Fail($"{Service} exited ({_namespace.ExitCode}) at start:\n{Output}");
            }

            var child = File.Exists(children) ? File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() : null;
            if (child is not null)
            {
                Pid = int.Parse(child, System.Globalization.CultureInfo.InvariantCulture);
                var exe = TryPid1Executable();
                // During exec the kernel points /proc/PID/exe at the new program before it lays out the new
                // environment: a read in between finds none (CI once saw a live Gateway.Host PID 1 "lacking" all of it).
                if (exe is not (null or "unshare" or "sh" or "dash" or "bash") && HasEnvironment())
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < deadline, $"{Service}: PID 1 is still '{exe}' after {StartTimeout.TotalSeconds} s: the entrypoint never execs the app, so signals and the environment do not reach it as Docker gives them:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    private bool HasEnvironment()
    {
        try
        {
            return File.ReadAllText($"/proc/{Pid}/environ").Length > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string? TryPid1Executable()
    {
        try
        {
            return Pid1Executable();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsPortVariable(string key) => key.EndsWith("_PORT", StringComparison.Ordinal) || key.EndsWith("_PORTS", StringComparison.Ordinal);

    private static IEnumerable<int> NumbersIn(string value) =>
        value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : 0)
            .Where(port => port > 0);

    private static Dictionary<int, int> FreePortsFor(IEnumerable<int> containerPorts)
    {
        // Every listener stays open until all are picked, so two container ports never get the same host port.
        var result = new Dictionary<int, int>();
        var listeners = new List<TcpListener>();
        try
        {
            foreach (var port in containerPorts.Distinct())
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
                result[port] = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
        }
        finally
        {
            listeners.ForEach(listener => listener.Dispose());
        }

        return result;
    }

    /// <summary>Listen ports moved: in "host:port" and "/port" (bash's /dev/tcp) forms, and whole numbers of *_PORT(S) values.</summary>
    private static string MovePorts(string text, IReadOnlyDictionary<int, int> ports, bool bareNumbers)
    {
        if (bareNumbers)
        {
            return string.Join(';', text.Split(';').Select(part => int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var port) && ports.TryGetValue(port, out var moved)
                ? moved.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : part));
        }

        return LocalPort().Replace(text, match =>
        {
            var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            return ports.TryGetValue(port, out var moved)
                ? match.Groups["host"].Value + match.Groups["separator"].Value + moved.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : match.Value;
        });
    }

    /// <summary>A container path to the host path that stands for it: a bind mount first, else the image's file.</summary>
    private static string MovePath(string value, BuiltImage image, Map compose)
    {
        if (!value.StartsWith('/'))
        {
            return value;
        }

        if (Compose.HostPathOf(compose, value) is { } mounted)
        {
            return mounted;
        }

        var inImage = image.HostPath(value);
        return File.Exists(inImage) || Directory.Exists(inImage) ? inImage : value;
    }

    // Only the service's own addresses: 0.0.0.0, *, localhost, 127.0.0.1, [::] (another service's host:port is left alone).
    [GeneratedRegex(@"(?<host>0\.0\.0\.0|\*|\+|localhost|127\.0\.0\.1|\[::\])(?<separator>[:/])(?<port>\d{2,5})\b")]
    private static partial Regex LocalPort();
}
