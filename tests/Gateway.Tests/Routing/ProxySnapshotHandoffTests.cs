using Gateway.Configuration;
using Gateway.Routing;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Routing;

/// <summary>An applied edit serves the routes its check read (bound once), and only those of that very data set.</summary>
public sealed class ProxySnapshotHandoffTests
{
    private static readonly ProxySnapshot Empty = new([], []);

    [Fact]
    public void A_snapshot_is_taken_once_and_only_for_the_data_it_was_read_from()
    {
        var handoff = new ProxySnapshotHandoff();
        var data = new object();
        handoff.Offer(data, Empty);

        Assert.Null(handoff.Take(new object()));
        Assert.Null(handoff.Take(null));
        Assert.Same(Empty, handoff.Take(data));
        Assert.Null(handoff.Take(data));
    }

    [Fact]
    public async Task An_applied_edit_serves_the_routes_read_by_its_check_and_a_rejected_one_is_never_handed_over()
    {
        var directory = Directory.CreateTempSubdirectory("handoff-");
        try
        {
            var path = Path.Combine(directory.FullName, "routes.json");
            File.WriteAllText(path, Routes("a"));
            var source = new ConfigFileSource(path) { Debounce = TimeSpan.FromMilliseconds(50) };
            var live = new ConfigurationBuilder().Add(source).Build();
            var handoff = new ProxySnapshotHandoff();
            ProxySnapshot? checkedSnapshot = null;
            source.Validate = (provider, data) =>
            {
                var candidate = ConfigCandidate.Create(live, provider, data);
                var errors = new List<string>();
                checkedSnapshot = ProxyConfigReader.Read(candidate, errors);
                handoff.Offer(ConfigCandidate.FileDataOf(candidate), checkedSnapshot);
                // Route "bad" passes the read but another check refuses it: its snapshot must never serve.
                return candidate["ReverseProxy:Routes:bad:ClusterId"] is null ? errors : ["refused"];
            };
            using var routes = new FileProxyConfigProvider(live, handoff, new BoundRouteCache());
            Assert.Equal("a", Assert.Single(routes.GetConfig().Routes).RouteId);

            await EditAndWaitAsync(routes, path, Routes("b"));
            var served = routes.GetConfig().Routes;
            Assert.Same(checkedSnapshot!.Routes, served);
            Assert.Equal("b", Assert.Single(served).RouteId);

            File.WriteAllText(path, Routes("bad"));
            await WaitAsync(() => source.Status.Last is { Succeeded: false });
            Assert.Equal("bad", Assert.Single(checkedSnapshot!.Routes).RouteId);
            Assert.Same(served, routes.GetConfig().Routes);
            Assert.Null(handoff.Take(ConfigCandidate.FileDataOf(live)));
            ((IDisposable)live).Dispose();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Routes(string id) => $$"""
        { "ReverseProxy": { "Routes": { "{{id}}": { "ClusterId": "c", "Match": { "Path": "/{{id}}" } } },
          "Clusters": { "c": { "Destinations": { "d": { "Address": "http://127.0.0.1:1/" } } } } } }
        """;

    private static async Task EditAndWaitAsync(IProxyConfigProvider provider, string path, string text)
    {
        var changed = new TaskCompletionSource();
        using var registration = provider.GetConfig().ChangeToken.RegisterChangeCallback(_ => changed.TrySetResult(), null);
        File.WriteAllText(path, text);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 15 s");
            await Task.Delay(20);
        }
    }
}
