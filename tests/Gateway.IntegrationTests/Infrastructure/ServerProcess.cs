using System.Diagnostics;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>A real server binary started by a test; its output is kept for failure messages and it is killed on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();
    private int _disposed;

    public ServerProcess(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(RealComponents.Require(executable))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) =>
        {
            Keep(line.Data);
            if (line.Data is not null && _errors.Count < 2000)
            {
                _errors.Enqueue(line.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    /// <summary>Standard error alone (also in <see cref="Output"/>), line by line.</summary>
    public IReadOnlyList<string> ErrorLines => [.. _errors];

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>For a command that ends by itself; its whole output is in <see cref="Output"/> after this.</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Idempotent: a test that stopped a server on purpose (an outage) disposes it again in its finally.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 2000)
        {
            _output.Enqueue(line);
        }
    }
}
