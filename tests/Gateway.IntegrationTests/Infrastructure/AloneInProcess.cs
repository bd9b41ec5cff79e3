namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that run with no other gateway alive in the process. Every gateway's tracer provider listens to the
/// "Gateway.Hosting" and "Yarp.ReverseProxy" sources by name, process-wide, so another test's gateway (ratio 1) would
/// record this one's spans too; one gateway per process, as deployed, is what sampling assumes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneInProcess
{
    public const string Name = "Alone in the process";
}
