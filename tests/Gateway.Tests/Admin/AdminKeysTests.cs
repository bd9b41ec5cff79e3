using System.Text.Json;
using Gateway.Admin;
using Gateway.Clients;
using Gateway.Hosting;
using Gateway.Tests.TestSupport;
using Gateway.Utilities;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Admin;

public sealed class AdminKeysTests
{
    private static readonly object Passed = new();

    private static readonly AdminOptions Settings = Named(
        ("ops", "admin-key", AdminAccess.Full),
        ("dashboard", "viewer-key", AdminAccess.ReadOnly),
        ("unchecked", "", AdminAccess.Full)); // Refused by AdminCheck; an empty key must still let nothing in.

    [Theory]
    [InlineData("admin-key", "Full")]
    [InlineData("viewer-key", "ReadOnly")]
    [InlineData("ADMIN-KEY", "None")] // Keys are compared exactly.
    [InlineData("admin-ke", "None")]
    [InlineData("admin-key ", "None")]
    [InlineData("admin-key,viewer-key", "None")] // Two X-Admin-Key headers read as one value.
    [InlineData("", "None")]
    [InlineData(null, "None")]
    public void A_key_gives_the_access_it_is_configured_with(string? presented, string access) =>
        Assert.Equal(Enum.Parse<AdminAccess>(access), new AdminKeys(new TestOptionsMonitor<AdminOptions>(Settings)).Identify(presented).Access);

    [Theory]
    [InlineData("admin-key", "ops")]
    [InlineData("viewer-key", "dashboard")]
    [InlineData("other", null)]
    public void A_key_is_known_by_its_configured_name_never_by_itself(string presented, string? name) =>
        Assert.Equal(name, new AdminKeys(new TestOptionsMonitor<AdminOptions>(Settings)).Identify(presented).Name);

    [Fact]
    public void Adding_keys_and_reordering_them_leaves_each_keys_name_as_it_was()
    {
        var reordered = Named(("aardvark", "new-key", AdminAccess.Full), ("dashboard", "viewer-key", AdminAccess.ReadOnly), ("ops", "admin-key", AdminAccess.Full));
        var keys = new AdminKeys(new TestOptionsMonitor<AdminOptions>(reordered));

        Assert.Equal((AdminAccess.Full, "ops"), keys.Identify("admin-key"));
        Assert.Equal((AdminAccess.ReadOnly, "dashboard"), keys.Identify("viewer-key"));
    }

    [Fact]
    public void A_key_under_two_names_gives_the_stronger_access_whatever_the_order()
    {
        // AdminCheck refuses this config; should it ever serve, the answer does not depend on the file's order.
        var twice = Named(("z-full", "shared-key", AdminAccess.Full), ("a-viewer", "shared-key", AdminAccess.ReadOnly));

        Assert.Equal((AdminAccess.Full, "z-full"), new AdminKeys(new TestOptionsMonitor<AdminOptions>(twice)).Identify("shared-key"));
    }

    [Fact]
    public void Without_configured_keys_nothing_is_accepted() =>
        Assert.Equal(AdminAccess.None, new AdminKeys(new TestOptionsMonitor<AdminOptions>(new())).Identify("admin-key").Access);

    [Fact]
    public void Changed_keys_apply_to_the_next_check()
    {
        var options = new TestOptionsMonitor<AdminOptions>(Settings);
        var keys = new AdminKeys(options);
        Assert.Equal(AdminAccess.Full, keys.Identify("admin-key").Access);

        options.Set(Named(("rotated", "rotated-key", AdminAccess.Full), ("ops", "admin-key", AdminAccess.ReadOnly)));

        Assert.Equal(AdminAccess.ReadOnly, keys.Identify("admin-key").Access);
        Assert.Equal(AdminAccess.Full, keys.Identify("rotated-key").Access);
    }

    [Theory]
    [InlineData("GET", "viewer-key")]
    [InlineData("HEAD", "viewer-key")]
    [InlineData("GET", "admin-key")]
    [InlineData("PUT", "admin-key")]
    [InlineData("DELETE", "admin-key")]
    public async Task The_filter_lets_a_key_through_to_what_it_may_do(string method, string key)
    {
        var (result, context) = await FilterAsync(method, key);

        Assert.Same(Passed, result);
        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("GET", "wrong-key")]
    [InlineData("POST", null)]
    public async Task Without_a_valid_key_the_filter_answers_401_naming_the_header(string method, string? key)
    {
        var (result, context) = await FilterAsync(method, key);
        var problem = await ExecuteAsync(result, context);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("ApiKey header=\"X-Admin-Key\", realm=\"gateway-admin\"", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Contains("X-Admin-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("auth", problem.GetProperty("origin").GetString());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task A_read_only_key_may_not_change_anything(string method)
    {
        var (result, context) = await FilterAsync(method, "viewer-key");
        var problem = await ExecuteAsync(result, context);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("WWW-Authenticate"));
        Assert.Equal("This key may read but not change anything.", problem.GetProperty("detail").GetString());
    }

    private static async Task<(object? Result, DefaultHttpContext Context)> FilterAsync(string method, string? key)
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Response.Body = new MemoryStream();
        if (key is not null)
        {
            context.Request.Headers[AdminKeys.Header] = key;
        }

        var settings = new TestOptionsMonitor<AdminOptions>(Settings);
        using var failures = new FailedKeyLimiter(settings, new MetricsRegistry(), NullLogger<FailedKeyLimiter>.Instance);
        using var apiKeys = new ApiKeys(new TestOptionsMonitor<ClientsOptions>(new()));
        using var clients = new ClientAddress(new TestOptionsMonitor<GatewayOptions>(new()), apiKeys);
        var filter = new AdminKeyFilter(new AdminKeys(settings), failures, clients);
        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ => ValueTask.FromResult<object?>(Passed));
        return (result, context);
    }

    private static async Task<JsonElement> ExecuteAsync(object? result, DefaultHttpContext context)
    {
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }

    private static AdminOptions Named(params (string Name, string Key, AdminAccess Access)[] keys) => new()
    {
        Keys = keys.ToDictionary(key => key.Name, key => new AdminKeyOptions { Key = key.Key, Access = key.Access }, StringComparer.OrdinalIgnoreCase),
    };
}
