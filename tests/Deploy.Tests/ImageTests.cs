using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests;

/// <summary>
/// Each image docker-compose.yml builds, doing what Docker does with it, without Docker: built from exactly
/// its build context, started through its exact ENTRYPOINT with compose's environment and command, and
/// probed with its healthchecks. These catch what comparing files cannot: a build that reads a file the
/// context lacks, an entrypoint shell that drops variables (dash and <c>...__users-1__Address</c>).
/// </summary>
public sealed partial class ImageTests(ImagesFixture images) : IClassFixture<ImagesFixture>
{
    [Theory]
    [MemberData(nameof(ImagesFixture.BuiltServices), MemberType = typeof(ImagesFixture))]
    public void Builds_from_exactly_its_build_context(string service)
    {
        var image = images.Image(service);

        Assert.NotEmpty(image.Entrypoint);
        var program = image.Entrypoint[0].StartsWith('/') ? image.HostPath(image.Entrypoint[0]) : null;
        Assert.True(program is null || File.Exists(program), $"{service}: ENTRYPOINT {image.Entrypoint[0]} is not in the image");
    }

    [Theory]
    [MemberData(nameof(ImagesFixture.BuiltServices), MemberType = typeof(ImagesFixture))]
    public async Task Entrypoint_gives_the_app_every_variable_compose_sets(string service)
    {
        var compose = images.Compose.Service(service);
        await using var container = await Container.StartAsync(service, images.Image(service), compose);

        Assert.DoesNotMatch("^(sh|dash|bash)$", container.Pid1Executable());
        var seen = container.ProcessEnvironment();
        var lost = container.Environment
            .Where(pair => !seen.TryGetValue(pair.Key, out var value) || value != pair.Value)
            .Select(pair => seen.ContainsKey(pair.Key) ? $"{pair.Key} (changed to '{seen[pair.Key]}')" : pair.Key)
            .ToList();
        Assert.True(lost.Count == 0, $"{service}: PID 1 ({container.Pid1Executable()}) lacks {string.Join(", ", lost)}");

        // The gateway applies the destinations compose gives it (the file's are loopback addresses).
        var overrides = Compose.Environment(compose)
            .Select(pair => (Match: DestinationOverride().Match(pair.Key), Address: pair.Value))
            .Where(entry => entry.Match.Success)
            .ToList();
        if (overrides.Count > 0)
        {
            var destinations = await AdminDestinationsAsync(container);
            foreach (var (match, address) in overrides)
            {
                var key = $"{match.Groups["cluster"].Value}/{match.Groups["destination"].Value}";
                Assert.True(destinations.TryGetValue(key, out var applied), $"{service}: /admin/routes has no destination {key}");
                Assert.Equal(address, applied);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ImagesFixture.BuiltServices), MemberType = typeof(ImagesFixture))]
    public async Task Healthchecks_pass_while_it_runs_and_fail_once_it_stops(string service)
    {
        var compose = images.Compose.Service(service);
        var image = images.Image(service);
        var checks = new List<(string Where, IReadOnlyList<string> Test)>();
        if (image.HealthCheck is { } imageCheck)
        {
            checks.Add(("the image's HEALTHCHECK", imageCheck));
        }

        if (compose.MapOrNull("healthcheck")?.ListOrEmpty("test").OfType<string>().ToList() is { Count: > 0 } composeCheck)
        {
            checks.Add(("compose's healthcheck", composeCheck));
        }

        Assert.NotEmpty(checks);
        await using var container = await Container.StartAsync(service, image, compose);
        var httpPort = container.Environment.GetValueOrDefault("HEALTH_PORT") is { Length: > 0 } port
            ? container.Ports.Single(pair => pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == port).Key
            : (int?)null;
        if (httpPort is { } containerPort)
        {
            await container.WaitForHttpAsync(containerPort);
        }

        foreach (var (where, test) in checks)
        {
            var (exitCode, output) = await container.RunHealthCheckAsync(test);
            Assert.True(exitCode == 0, $"{service}: {where} failed ({exitCode}) while the service runs: {output}\n{container.Output}");
        }

        await container.StopAsync();
        // Once PID 1 has exited Docker runs no check at all (the container is gone); a check that asks a port
        // can be run still, and must then fail.
        foreach (var (where, test) in checks.Where(check => string.Join(' ', check.Test).Contains("/dev/tcp/", StringComparison.Ordinal) && httpPort is not null))
        {
            var (exitCode, _) = await container.RunHealthCheckAsync(test);
            Assert.True(exitCode != 0, $"{service}: {where} still passes after the service stopped");
        }
    }

    private static async Task<Dictionary<string, string>> AdminDestinationsAsync(Container container)
    {
        var admin = Compose.PortOf(container.Environment.Single(pair => pair.Key == "Gateway__Urls__Admin").Value);
        var key = AdminKey();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{admin}"), Timeout = TimeSpan.FromSeconds(10) };
        var containerPort = container.Ports.Single(pair => pair.Value == admin).Key;
        await container.WaitForHttpAsync(containerPort);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/routes");
        request.Headers.Add("X-Admin-Key", key);
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET /admin/routes answered {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("clusters").EnumerateArray()
            .SelectMany(cluster => cluster.GetProperty("destinations").EnumerateArray().Select(destination => (
                Key: $"{cluster.GetProperty("id").GetString()}/{destination.GetProperty("id").GetString()}",
                Address: destination.GetProperty("address").GetString() ?? "")))
            .ToDictionary(entry => entry.Key, entry => entry.Address, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A full-access admin key of the root appsettings.json (the file compose mounts): Admin:Keys:&lt;name&gt;:Key.</summary>
    private static string AdminKey() =>
        AppSettings.LoadRoot().Root.GetProperty("Admin").GetProperty("Keys").EnumerateObject().Select(key => key.Value)
            .First(key => key.GetProperty("Access").GetString() == "Full").GetProperty("Key").GetString()!;

    [GeneratedRegex(@"^ReverseProxy__Clusters__(?<cluster>[^_]+)__Destinations__(?<destination>[^_]+)__Address$")]
    private static partial Regex DestinationOverride();
}
