using Gateway.Redirects;
using Gateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Redirects;

/// <summary>The rules in force: in name order, rebuilt on an edit; and the <c>Redirects</c> section's check.</summary>
public sealed class RedirectRulesTests
{
    [Fact]
    public void Rules_are_in_force_in_name_order_whatever_order_they_are_written_in()
    {
        var settings = new RedirectOptions();
        settings.Rules["c-last"] = new() { Path = "/{**rest}", Destination = "/c" };
        settings.Rules["A-first"] = new() { Path = "/docs/{**rest}", Destination = "/a" };
        settings.Rules["b-second"] = new() { Path = "/docs/v1", Destination = "/b" };
        using var rules = new RedirectRules(new TestOptionsMonitor<RedirectOptions>(settings));

        Assert.Equal(["A-first", "b-second", "c-last"], rules.Current.Select(rule => rule.Name));
        Assert.Equal("/a", FirstMatch(rules, "/docs/v1")); // Both A and b match: the first by name answers.
        Assert.Equal("/c", FirstMatch(rules, "/elsewhere"));
    }

    [Fact]
    public void An_edit_replaces_the_rules_in_force()
    {
        var settings = new TestOptionsMonitor<RedirectOptions>(Options(("old", "/old", "/new")));
        using var rules = new RedirectRules(settings);

        settings.Set(Options(("other", "/other", "/elsewhere")));

        Assert.Equal(["other"], rules.Current.Select(rule => rule.Name));
        Assert.Null(FirstMatch(rules, "/old"));
    }

    [Fact]
    public void A_rule_with_a_problem_is_never_in_force()
    {
        using var rules = new RedirectRules(new TestOptionsMonitor<RedirectOptions>(Options(("bad", "/users/{id}", "/api/{user}"), ("good", "/old", "/new"))));

        Assert.Equal(["good"], rules.Current.Select(rule => rule.Name));
    }

    [Fact]
    public void A_valid_section_has_no_errors() =>
        Assert.Empty(Check(new()
        {
            ["Redirects:Rules:docs:Path"] = "/docs/v1/{**rest}",
            ["Redirects:Rules:docs:Destination"] = "/docs/v2/{rest}",
            ["Redirects:Rules:docs:Permanent"] = "true",
            ["Redirects:Rules:docs:KeepQuery"] = "false",
            ["Redirects:Rules:docs:Hosts:0"] = "old.example",
        }));

    [Fact]
    public void No_section_at_all_is_valid() => Assert.Empty(Check([]));

    [Fact]
    public void Every_problem_of_every_rule_is_reported_with_the_rules_key()
    {
        var errors = Check(new()
        {
            ["Redirects:Rules:docs:Path"] = "docs",
            ["Redirects:Rules:docs:Destination"] = "/v2/{rest}",
            ["Redirects:Rules:shop:Path"] = "/shop/{**rest}",
            ["Redirects:Rules:shop:Destination"] = "https://{rest}",
        });

        Assert.Equal(
            [
                "Redirects:Rules:docs:Path: must start with '/'",
                "Redirects:Rules:docs:Destination: '{rest}' is not a value of Path",
                "Redirects:Rules:shop:Destination: 'https://{rest}' takes its host from the request; values may only follow the host's '/'",
            ],
            errors);
    }

    [Theory]
    [InlineData("Redirects:Rules:docs:Permanet", "true", "Redirects: Redirects:Rules:docs:Permanet: unknown key")]
    [InlineData("Redirects:Rules:docs:Permanent", "always", "'Redirects:Rules:docs:Permanent'")]
    [InlineData("Redirects:Rule:docs:Path", "/x", "Redirects: Redirects:Rule: unknown key")]
    public void A_misspelt_key_or_a_value_of_the_wrong_type_is_named(string key, string value, string expected) =>
        Assert.Contains(
            Check(new() { ["Redirects:Rules:docs:Path"] = "/old", ["Redirects:Rules:docs:Destination"] = "/new", [key] = value }),
            error => error.Contains(expected, StringComparison.Ordinal));

    private static string? FirstMatch(RedirectRules rules, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        return rules.Current.Select(rule => rule.Match(context.Request)).FirstOrDefault(match => match is not null)?.Location;
    }

    private static RedirectOptions Options(params (string Name, string Path, string Destination)[] rules)
    {
        var options = new RedirectOptions();
        foreach (var (name, path, destination) in rules)
        {
            options.Rules[name] = new() { Path = path, Destination = destination };
        }

        return options;
    }

    private static List<string> Check(Dictionary<string, string?> data) => ConfigChecks.Errors((services, _) => services.AddGatewayRedirects(), data);
}
