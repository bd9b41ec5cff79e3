using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Readme;

/// <summary>
/// The native demo (src/Demo, built beside these tests) as a process on the root appsettings.json, without its traffic
/// generator: the gateway's listeners and every cluster destination moved to free loopback ports on the command line
/// (the demo starts its upstreams where the destinations point), so a demo a developer runs on 8080 is not touched.
/// </summary>
internal sealed class DemoProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private DemoProcess(ServerProcess process, Uri publicUrl, Uri adminUrl, Uri tlsUrl)
    {
        _process = process;
        PublicUrl = publicUrl;
        AdminUrl = adminUrl;
        TlsUrl = tlsUrl;
    }

    public Uri PublicUrl { get; }

    public Uri AdminUrl { get; }

    /// <summary>The public listener over TLS (demo mode's self-signed certificate): where a gRPC client reaches the demo.</summary>
    public Uri TlsUrl { get; }

    public string Output => _process.Output;

    public static async Task<DemoProcess> StartAsync()
    {
        var destinations = DestinationsOfRootConfig();
        // The demo's upstreams (5001-5003) and the closed port (5009) each get a free port; a destination shared by two
        // clusters (chaos and limited on 5002) keeps sharing one.
        var addresses = destinations.Select(destination => destination.Address).Distinct().ToList();
        var ports = FreePort.Next(addresses.Count + 3);
        var moved = addresses.Select((address, index) => (address, url: $"http://127.0.0.1:{ports[index + 3]}"))
            .ToDictionary(pair => pair.address, pair => pair.url);
        var publicUrl = new Uri($"http://127.0.0.1:{ports[0]}/");
        var adminUrl = new Uri($"http://127.0.0.1:{ports[1]}/");
        var tlsUrl = new Uri($"https://127.0.0.1:{ports[2]}/");

        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Repository.PathOf($"src/Demo/bin/{configuration}/net10.0/Demo.dll");
        Assert.True(File.Exists(dll), $"{dll} is built with the tests (a ProjectReference)");
        var process = new ServerProcess("dotnet",
        [
            dll,
            "--no-traffic",
            $"--Gateway:ConfigFile={Repository.RootConfigFile}",
            $"--Gateway:Urls:Public={publicUrl}",
            $"--Gateway:Urls:Admin={adminUrl}",
            $"--Gateway:Urls:PublicTls={tlsUrl}",
            .. destinations.Select(destination =>
                $"--ReverseProxy:Clusters:{destination.Cluster}:Destinations:{destination.Name}:Address={moved[destination.Address]}"),
        ]);
        var demo = new DemoProcess(process, publicUrl, adminUrl, tlsUrl);
        try
        {
            await demo.WaitUntilServingAsync();
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var seen = "nothing yet";
        await Eventually.HoldsAsync(async () =>
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The demo exited with {_process.ExitCode}: {_process.Output}");
            }

            try
            {
                // Through the gateway to the users API: both listen.
                using var response = await client.GetAsync(new Uri(PublicUrl, "api/users/1"));
                using var admin = await client.GetAsync(new Uri(AdminUrl, "healthz"));
                seen = $"{(int)response.StatusCode} and {(int)admin.StatusCode}";
                return response.StatusCode == HttpStatusCode.OK && admin.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException ex)
            {
                seen = ex.Message;
                return false;
            }
        }, () => $"the demo serves /api/users/1 and the admin /healthz (last: {seen}); output: {_process.Output}", seconds: 90);
    }

    private static List<(string Cluster, string Name, string Address)> DestinationsOfRootConfig()
    {
        var clusters = JsonNode.Parse(File.ReadAllText(Repository.RootConfigFile))!["ReverseProxy"]!["Clusters"]!.AsObject();
        return
        [
            .. from cluster in clusters
               from destination in cluster.Value!["Destinations"]!.AsObject()
               select (cluster.Key, destination.Key, destination.Value!["Address"]!.GetValue<string>()),
        ];
    }
}
