using System.Text;
using System.Text.Json;
using Gateway.Admin;
using Gateway.Configuration;
using Gateway.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// Every message <see cref="FrameworkMessages"/> reads, produced by the real framework the way the gateway meets it.
/// A failure here after an upgrade means the framework reworded a message: adapt the reader, not the test's input.
/// </summary>
public sealed class FrameworkMessagesTests
{
    [Theory]
    [InlineData("Sample:Cuont", new[] { "Cuont" })]
    [InlineData("Sample:Inner:Windw", new[] { "Windw" })]
    [InlineData("Sample:Items:a:Limt", new[] { "Limt" })] // inside a dictionary: the binder wraps the message
    public void The_binder_names_unknown_properties(string key, string[] expected)
    {
        var ex = BindError(new() { [key] = "1" });

        var names = FrameworkMessages.UnknownConfigurationProperties(ex);

        Assert.True(names.SetEquals(expected), $"Read [{string.Join(", ", names)}] from the binder's message: {Describe(ex)}");
    }

    [Fact]
    public void The_binder_names_every_unknown_property_of_an_object()
    {
        var ex = BindError(new() { ["Sample:Zeta"] = "1", ["Sample:Alpha"] = "2" });

        var names = FrameworkMessages.UnknownConfigurationProperties(ex);

        Assert.True(names.SetEquals(["Zeta", "Alpha"]), $"Read [{string.Join(", ", names)}] from the binder's message: {Describe(ex)}");
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_not_read_as_unknown_properties()
    {
        var ex = BindError(new() { ["Sample:Count"] = "three" });

        Assert.Empty(FrameworkMessages.UnknownConfigurationProperties(ex));
    }

    [Fact]
    public void System_text_json_names_an_unmapped_property()
    {
        var ex = DeserializeError<MaintenanceRequest>("""{ "enabled": true, "enabeld": false }""");

        Assert.True(FrameworkMessages.UnmappedJsonProperty(ex) == "enabeld", $"Read '{FrameworkMessages.UnmappedJsonProperty(ex)}' from System.Text.Json's message: {ex.Message}");
    }

    [Fact]
    public void A_json_value_of_the_wrong_type_is_not_read_as_an_unmapped_property()
    {
        var ex = DeserializeError<MaintenanceRequest>("""{ "enabled": "yes" }""");

        Assert.Null(FrameworkMessages.UnmappedJsonProperty(ex));
        Assert.Equal("$.enabled", ex.Path); // what AdminJson says instead
    }

    [Theory]
    [InlineData("{\n  \"A\": 1\n  \"B\": 2\n}")]
    [InlineData("""{ "A": """)]
    public void The_configuration_json_parser_position_is_cut_from_its_message(string text)
    {
        // As ConfigJson parses: the stock JSON configuration provider, which reports the reader's JsonException.
        var ex = ConfigJsonError(text);

        var message = FrameworkMessages.WithoutJsonPosition(ex);

        Assert.True(
            ex.Message.Contains(" LineNumber: ", StringComparison.Ordinal) && message.Length > 0 && !message.Contains("LineNumber", StringComparison.Ordinal),
            $"Read '{message}' from System.Text.Json's message: {ex.Message}");
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_serializer_path_and_position_are_cut_from_its_message()
    {
        var ex = DeserializeError<MaintenanceRequest>("""{ "enabled": "yes" }""");

        var message = FrameworkMessages.WithoutJsonPosition(ex);

        Assert.True(
            ex.Message.Contains(" Path: $.enabled | LineNumber: ", StringComparison.Ordinal) && message.Length > 0 && !message.Contains("Path", StringComparison.Ordinal),
            $"Read '{message}' from System.Text.Json's message: {ex.Message}");
    }

    [Theory]
    [InlineData(nameof(RouteConfig.AuthorizationPolicy))]
    [InlineData(nameof(RouteConfig.CorsPolicy))]
    [InlineData(nameof(RouteConfig.TimeoutPolicy))]
    [InlineData(nameof(RouteConfig.OutputCachePolicy))]
    [InlineData(nameof(RouteConfig.RateLimiterPolicy))]
    public async Task Yarp_names_the_policy_a_route_refers_to(string key)
    {
        var route = new RouteConfig { RouteId = "r", ClusterId = "c", Match = new RouteMatch { Path = "/x" } };
        route = key switch
        {
            nameof(RouteConfig.AuthorizationPolicy) => route with { AuthorizationPolicy = "nope" },
            nameof(RouteConfig.CorsPolicy) => route with { CorsPolicy = "nope" },
            nameof(RouteConfig.TimeoutPolicy) => route with { TimeoutPolicy = "nope" },
            nameof(RouteConfig.OutputCachePolicy) => route with { OutputCachePolicy = "nope" },
            _ => route with { RateLimiterPolicy = "nope" },
        };

        var problem = Assert.Single(await ValidateAsync(route));

        Assert.True(FrameworkMessages.RoutePolicyKey(problem.Message) == key, $"Read '{FrameworkMessages.RoutePolicyKey(problem.Message)}' from YARP's message: {problem.Message}");
    }

    [Fact]
    public async Task Another_yarp_route_error_names_no_policy()
    {
        var problem = Assert.Single(await ValidateAsync(new RouteConfig { RouteId = "r", ClusterId = "c", Match = new RouteMatch { Path = "/{" } }));

        Assert.Null(FrameworkMessages.RoutePolicyKey(problem.Message));
    }

    private static InvalidOperationException BindError(Dictionary<string, string?> data)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(data).Build().GetSection("Sample");
        // As SectionBinder binds.
        return Assert.Throws<InvalidOperationException>(() => section.Get<Sample>(options => options.ErrorOnUnknownConfiguration = true));
    }

    private static JsonException DeserializeError<T>(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<T>(Encoding.UTF8.GetBytes(json), AdminJson.Options));

    private static JsonException ConfigJsonError(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var thrown = Record.Exception(() => new ConfigurationBuilder().AddJsonStream(stream).Build());
        for (var inner = thrown; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        throw new InvalidOperationException($"The JSON configuration parser reported no JsonException: {thrown}");
    }

    /// <summary>YARP's validator as the gateway registers it (routing, and authorization as AddGatewayAuth adds it), the one ProxyConfigCheck calls.</summary>
    private static async Task<IList<Exception>> ValidateAsync(RouteConfig route)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGatewayRouting();
        services.AddAuthorization();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<IConfigValidator>().ValidateRouteAsync(route);
    }

    private static string Describe(Exception ex) => ex.InnerException is null ? ex.Message : $"{ex.Message} (inner: {ex.InnerException.Message})";

    public sealed class Sample
    {
        public int Count { get; init; }

        public Inner Inner { get; init; } = new();

        public Dictionary<string, Inner> Items { get; init; } = [];
    }

    public sealed class Inner
    {
        public TimeSpan Window { get; init; }

        public int Limit { get; init; }
    }
}
