using System.Reflection;
using Gateway.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class ConfigSectionsTests
{
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
    [InlineData("Anything an edit could say \"with quotes\"\nand lines", "other")]
    public void The_first_error_gives_a_section_from_the_fixed_set(string error, string section) =>
        Assert.Equal(section, ConfigSections.Of([error, "a second error does not count"]));

    [Fact]
    public void Every_section_a_feature_reads_is_known()
    {
        var read = typeof(ConfigSections).Assembly.GetTypes()
            .Select(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .OfType<FieldInfo>()
            .Where(field => field.IsLiteral)
            .Select(field => ((string)field.GetRawConstantValue()!).Split(':')[0])
            .Distinct()
            .ToList();

        Assert.NotEmpty(read);
        Assert.All(read, section => Assert.Contains(section, ConfigSections.Known));
    }
}
