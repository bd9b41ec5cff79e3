using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Configuration;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.IntegrationTests;

/// <summary>
/// Issue 24 finding 2: no file and no reload listener can end the gateway. A config file that cannot be read is a
/// rejected edit (health Degraded with the reason, metric section <c>file</c>) and the last good config keeps serving;
/// an edit a listener fails to apply is undone in every listener.
/// </summary>
public sealed class ConfigFileFailureTests : PerTestGateway
{
    public static TheoryData<string, string> BrokenFiles() => new()
    {
        { "directory", "is a directory, not a file" },
        { "dangling link", ".gone, which does not exist" },
        { "not utf8", "is not valid UTF-8" },
        { "oversized", $"the limit is {ConfigFileSource.MaxFileBytes} bytes" },
        { "missing", "does not exist" },
        { "fifo", "could not be read within" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task A_file_that_cannot_be_read_is_a_rejected_edit_and_the_last_good_config_keeps_serving(string broken, string reason)
    {
        var lastGood = File.ReadAllText(Config.Path);
        Break(broken, lastGood);
        try
        {
            // An editor's save can be seen half written first: wait for the reason of the file as it ends.
            (string? Status, string Description) last = (null, "");
            await Eventually.HoldsAsync(
                async () => (last = await HealthAsync()) is ("Degraded", var description) && description.Contains($"file: {Config.Path} ", StringComparison.Ordinal)
                    && description.Contains(reason, StringComparison.Ordinal),
                () => $"{broken}: the health check reports the rejected edit with its reason; last seen {last}");
            Assert.Contains("serving the last good config", last.Description, StringComparison.Ordinal);
            var (_, samples) = await MetricsScrape.ReadAsync(Gateway);
            Assert.Equal(1, samples.Sum("gateway_config_last_reload_rejected_info", labels => labels["section"] == "file"));
            Assert.Equal(200, await StatusAsync("/api/users/1"));
        }
        finally
        {
            Mend(broken);
        }

        File.WriteAllText(Config.Path, lastGood);
        await Eventually.HoldsAsync(async () => (await HealthAsync()).Status == "Healthy", $"{broken}: the last good file back is healthy again");
        Assert.Equal(200, await StatusAsync("/api/users/1"));
    }

    public static TheoryData<string, string, string> ListenerFailures() => new()
    {
        // Options monitors bind on change: a value of the wrong type throws there.
        { "options binding", """{ "Maintenance": { "RetryAfterSeconds": "soon" } }""", "Maintenance:RetryAfterSeconds" },
        // OverloadLimits' OnChange callback builds a ConcurrencyLimiter, which refuses a negative limit.
        { "overload limits", """{ "Overload": { "Gateway": { "PermitLimit": -1 } } }""", "PermitLimit" },
        // JwtBearer's options are rebuilt on change: an empty key cannot make a SymmetricSecurityKey.
        { "jwt options", """{ "Auth": { "SigningKey": "" } }""", "SymmetricSecurityKey" },
        // The gateway's own YARP config provider throws on a section its reader refuses.
        { "proxy config provider", """{ "ReverseProxy": { "Routes": { "users-api": { "ClusterId": "userz" } } } }""", "ReverseProxy section is not valid" },
        // YARP refuses an unknown policy inside its own try: ProxyConfigListener reports it.
        { "yarp refusal", """{ "ReverseProxy": { "Routes": { "users-api": { "AuthorizationPolicy": "nope" } } } }""", "Authorization policy 'nope'" },
    };

    /// <summary>
    /// The checks normally refuse these edits; with the checks out of the way (as if one had a gap), the listener that
    /// fails must not end the process nor leave the edit applied in the listeners that took it (a new route, maintenance).
    /// </summary>
    [Theory]
    [MemberData(nameof(ListenerFailures))]
    public async Task An_edit_a_listener_fails_to_apply_is_undone_everywhere(string listener, string edit, string expected)
    {
        Gateway.Services.GetRequiredService<ConfigFileSource>().Validate = (_, _) => [];
        var token = await Tokens.LoginAsync(Client, "bob");
        Assert.Equal(200, await StatusAsync("/api/profile", request => Tokens.Bearer(request, token)));
        var lastGood = Config.Read();

        Config.Edit(json =>
        {
            AddTeapot(json);
            json["Maintenance"]!["Enabled"] = true;
            json["Maintenance"]!["Routes"] = new JsonArray("chaos");
            Merge(json, JsonNode.Parse(edit)!.AsObject());
        });

        await Eventually.HoldsAsync(async () => (await HealthAsync()).Status == "Degraded", $"{listener}: the health check reports the failed apply");
        var (_, description) = await HealthAsync();
        Assert.Contains("apply: ", description, StringComparison.Ordinal);
        Assert.Contains(expected, description, StringComparison.Ordinal);
        Assert.Contains("the last good config was restored in every listener", description, StringComparison.Ordinal);
        var (_, samples) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(1, samples.Sum("gateway_config_last_reload_rejected_info", labels => labels["section"] == "apply"));

        // Nothing of the edit serves: no new route, no maintenance, the old key still signs.
        Assert.Equal(404, await StatusAsync("/teapot"));
        Assert.Equal(200, await StatusAsync("/chaos/status/200"));
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        Assert.Equal(200, await StatusAsync("/api/profile", request => Tokens.Bearer(request, token)));

        // The listeners are still subscribed: a good edit applies.
        AddTeapot(lastGood);
        Config.Write(lastGood);
        await Eventually.HoldsAsync(async () => await StatusAsync("/teapot") == 418, $"{listener}: a good edit applies after the failed one");
        await Eventually.HoldsAsync(async () => (await HealthAsync()).Status == "Healthy", $"{listener}: healthy again");
    }

    private void Break(string broken, string lastGood)
    {
        var path = Config.Path;
        switch (broken)
        {
            case "directory":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            case "dangling link":
                File.Delete(path);
                File.CreateSymbolicLink(path, path + ".gone");
                break;
            case "not utf8":
                File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(lastGood.TrimEnd()[..^1]), .. "\"x\": \""u8, 0xC3, 0x28, .. "\" }"u8]);
                break;
            case "oversized":
                // Valid JSON but for its size: only the limit refuses it.
                File.WriteAllText(path, lastGood + new string(' ', ConfigFileSource.MaxFileBytes));
                break;
            case "missing":
                File.Delete(path);
                break;
            case "fifo":
                File.Delete(path);
                using (var mkfifo = Process.Start("mkfifo", [path]))
                {
                    mkfifo.WaitForExit();
                }

                break;
        }
    }

    private void Mend(string broken)
    {
        var path = Config.Path;
        if (broken == "directory")
        {
            Directory.Delete(path);
        }
        else if (broken == "fifo")
        {
            // A read that gave up still waits in open(): a writer lets it finish.
            File.WriteAllText(path, "");
            File.Delete(path);
        }
        else
        {
            File.Delete(path);
        }
    }

    private static void AddTeapot(JsonObject json) =>
        json["ReverseProxy"]!["Routes"]!["teapot"] = JsonNode.Parse(
            """{ "ClusterId": "chaos", "Match": { "Path": "/teapot" }, "Transforms": [ { "PathSet": "/chaos/status/418" } ] }""");

    private static void Merge(JsonObject target, JsonObject change)
    {
        foreach (var (key, value) in change.ToList())
        {
            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private async Task<(string? Status, string Description)> HealthAsync()
    {
        var (status, report) = await Gateway.HealthReportAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        return (report.GetProperty("status").GetString(), report.GetProperty("checks").GetProperty("config").GetProperty("description").GetString()!);
    }
}
