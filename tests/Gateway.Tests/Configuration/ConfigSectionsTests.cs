using System.Reflection;
using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Configuration;

public sealed class ConfigSectionsTests
{
    /// <summary>The sections as the gateway registers them (AddGateway on the repository's config file, read only).</summary>
    internal static IReadOnlyList<GatewaySection> Registered { get; } = ReadRegistered();

    private static readonly ConfigSections Sections = new(Registered);

    [Theory]
    [InlineData("not valid JSON: line 3, column 1: ...", "json")]
    [InlineData("file: /etc/gateway/appsettings.json is a directory, not a file", "file")]
    [InlineData("apply: InvalidOperationException: a listener failed", "apply")]
    [InlineData("Route 'users-api': ClusterId 'userz' is not a cluster in ReverseProxy:Clusters (known: chaos)", "ReverseProxy")]
    [InlineData("Cluster 'users', destination 'users-1': Address 'x' is not an absolute http(s) URL", "ReverseProxy")]
    [InlineData("ReverseProxy:Routes:users-api:Match:Pth: unknown key", "ReverseProxy")]
    [InlineData("Maintenance:Routes: 'nope' is not a route in ReverseProxy:Routes", "Maintenance")]
    [InlineData("Kestrel:Limits:MaxFoo: unknown key (misspelt?)", "Kestrel")]
    [InlineData("ratelimiting:Policies:search: PermitLimit must be positive", "RateLimiting")]
    [InlineData("Logging:LogLevel:Default: not a level", "Logging")]
    [InlineData("Anything an edit could say \"with quotes\"\nand lines", "other")]
    public void The_first_error_gives_a_section_from_the_fixed_set(string error, string section) =>
        Assert.Equal(section, Sections.Of([error, "a second error does not count"]));

    [Fact]
    public void The_labels_are_those_of_before_the_sections_were_registered() =>
        Assert.Equal(
            ["AccessLog", "Admin", "Auth", "Clients", "Gateway", "Kestrel", "Logging", "Maintenance", "Metrics", "Overload", "PassiveHealth",
                "ProxyStatus", "RateLimiting", "Redirects", "Retries", "ReverseProxy", "Store", "Tracing"],
            Sections.Known.Order(StringComparer.Ordinal));

    [Fact]
    public void An_unregistered_section_is_other() =>
        Assert.Equal(ConfigSections.Other, new ConfigSections([]).Of(["Maintenance:Routes: 'nope' is not a route in ReverseProxy:Routes"]));

    [Fact]
    public void Every_section_a_feature_reads_is_registered_once()
    {
        var read = typeof(ConfigSections).Assembly.GetTypes()
            .Select(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .OfType<FieldInfo>()
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .Where(name => !ConfigSections.Fixed.Contains(name))
            .ToList();

        Assert.NotEmpty(read);
        Assert.All(read, section => Assert.Single(Registered, registered => registered.Name == section));
        Assert.Equal(Registered.Count, Registered.Select(section => section.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    private static List<GatewaySection> ReadRegistered()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration[ConfigFileExtensions.ConfigFileKey] = Repository.RootConfigFile;
        builder.AddGateway();
        using var provider = builder.Services.BuildServiceProvider();
        return [.. provider.GetServices<GatewaySection>()];
    }
}
