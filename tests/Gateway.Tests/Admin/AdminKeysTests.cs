using System.Text.Json;
using Gateway.Admin;
using Gateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Admin;

public sealed class AdminKeysTests
{
    private static readonly object Passed = new();

    private static readonly AdminOptions Settings = new() { AdminKeys = ["admin-key", "shared-key"], ReadOnlyKeys = ["viewer-key", "shared-key"] };

    [Theory]
    [InlineData("admin-key", "Full")]
    [InlineData("viewer-key", "ReadOnly")]
    [InlineData("shared-key", "Full")] // In both lists: the stronger access.
    [InlineData("ADMIN-KEY", "None")] // Keys are compared exactly.
    [InlineData("admin-ke", "None")]
    [InlineData("admin-key ", "None")]
    [InlineData("admin-key,viewer-key", "None")] // Two X-Admin-Key headers read as one value.
    [InlineData("", "None")]
    [InlineData(null, "None")]
    public void A_key_gives_the_access_of_the_list_it_is_in(string? presented, string access) =>
        Assert.Equal(Enum.Parse<AdminAccess>(access), new AdminKeys(new TestOptionsMonitor<AdminOptions>(Settings)).Check(presented));

    [Theory]
    [InlineData("admin-key", "Admin:AdminKeys:0")]
    [InlineData("shared-key", "Admin:AdminKeys:1")]
    [InlineData("viewer-key", "Admin:ReadOnlyKeys:0")]
    [InlineData("other", null)]
    public void A_key_is_named_by_its_place_in_the_config_never_by_itself(string presented, string? name) =>
        Assert.Equal(name, new AdminKeys(new TestOptionsMonitor<AdminOptions>(Settings)).Identify(presented).Name);

    [Fact]
    public void Without_configured_keys_nothing_is_accepted() =>
        Assert.Equal(AdminAccess.None, new AdminKeys(new TestOptionsMonitor<AdminOptions>(new())).Check("admin-key"));

    [Fact]
    public void Changed_keys_apply_to_the_next_check()
    {
        var options = new TestOptionsMonitor<AdminOptions>(Settings);
        var keys = new AdminKeys(options);
        Assert.Equal(AdminAccess.Full, keys.Check("admin-key"));

        options.Set(new() { AdminKeys = ["rotated-key"], ReadOnlyKeys = ["admin-key"] });

        Assert.Equal(AdminAccess.ReadOnly, keys.Check("admin-key"));
        Assert.Equal(AdminAccess.Full, keys.Check("rotated-key"));
    }

    [Theory]
    [InlineData("GET", "viewer-key")]
    [InlineData("HEAD", "viewer-key")]
    [InlineData("GET", "admin-key")]
    [InlineData("PUT", "admin-key")]
    [InlineData("DELETE", "shared-key")]
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

        var filter = new AdminKeyFilter(new AdminKeys(new TestOptionsMonitor<AdminOptions>(Settings)));
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
}
