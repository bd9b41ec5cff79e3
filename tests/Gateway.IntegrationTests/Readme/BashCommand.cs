using System.Diagnostics;

namespace Gateway.IntegrationTests.Readme;

/// <summary>A README command run as a user would: bash, in a folder of its own, after the README's setup lines.</summary>
internal static class BashCommand
{
    /// <summary>The output (stderr merged into stdout in order: curl -v writes there), or null when it did not end in time.</summary>
    public static async Task<string?> RunAsync(string setup, string command, string folder, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(RealComponents.Require("bash"))
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec 2>&1\n{setup}\n{command}\n");
        // Curl as on a bare machine: no proxy for loopback, no ~/.curlrc.
        foreach (var proxy in new[] { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" })
        {
            start.Environment.Remove(proxy);
        }

        start.Environment["CURL_HOME"] = folder;
        start.Environment["XDG_CONFIG_HOME"] = folder;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return await output;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return null;
        }
    }
}
