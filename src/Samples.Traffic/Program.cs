using Samples.Traffic;

// Thin: options from the command line and TRAFFIC_* environment, Ctrl+C/SIGTERM cancel, run, exit code.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });

return await TrafficCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
