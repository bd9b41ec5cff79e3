using Gateway.Redirects;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Redirects;

/// <summary>What a rule matches, the status it answers with, and the Location it builds.</summary>
public sealed class RedirectRuleTests
{
    [Theory]
    [InlineData(true, "GET", 301)]
    [InlineData(true, "HEAD", 301)]
    [InlineData(true, "POST", 308)]
    [InlineData(true, "DELETE", 308)]
    [InlineData(false, "GET", 302)]
    [InlineData(false, "head", 302)]
    [InlineData(false, "PUT", 307)]
    [InlineData(false, "PATCH", 307)]
    public void Permanent_and_the_method_choose_the_status(bool permanent, string method, int status)
    {
        var rule = Rule("/old", "/new", permanent: permanent);

        Assert.Equal((status, "/new"), rule.Match(Request("/old", method: method)));
    }

    [Theory]
    [InlineData("/docs/v1/{**rest}", "/docs/v1/guide/start", "/docs/v2/{rest}", "/docs/v2/guide/start")]
    [InlineData("/docs/v1/{**rest}", "/docs/v1", "/docs/v2/{rest}", "/docs/v2/")] // An empty catch-all adds nothing.
    [InlineData("/users/{id}", "/users/42", "/api/users/{id}", "/api/users/42")]
    [InlineData("/users/{id}", "/USERS/42", "/api/users/{ID}", "/api/users/42")] // Literals and names in any case, as routing.
    [InlineData("/users/{id}/orders/{order}", "/users/7/orders/9", "https://shop.example/o/{order}?user={id}", "https://shop.example/o/9?user=7")]
    [InlineData("/blog/{**rest}", "/blog/2024/a", "https://blog.example.com/{rest}", "https://blog.example.com/2024/a")]
    public void The_destination_is_built_from_the_matched_values(string path, string requestPath, string destination, string location) =>
        Assert.Equal((302, location), Rule(path, destination).Match(Request(requestPath)));

    [Theory]
    [InlineData("/users/{id}", "/users")]
    [InlineData("/users/{id}", "/users/1/orders")]
    [InlineData("/old", "/older")]
    [InlineData("/old", "/")]
    public void A_path_the_pattern_does_not_match_is_left_to_the_routes(string path, string requestPath) =>
        Assert.Null(Rule(path, "/new").Match(Request(requestPath)));

    [Theory]
    [InlineData("a b", "/to/a%20b")]
    [InlineData("a?b#c", "/to/a%3Fb%23c")]
    [InlineData("caf\u00e9", "/to/caf%C3%A9")]
    [InlineData("a\\b", "/to/a%5Cb")]
    [InlineData("a%2Fb", "/to/a%2Fb")] // An already encoded octet stays as it came.
    public void A_value_in_the_path_is_percent_encoded_for_a_path(string value, string location) =>
        Assert.Equal((302, location), Rule("/from/{**rest}", "/to/{rest}").Match(Request("/from/" + value)));

    [Theory]
    [InlineData("a b&c=d", "/search?q=a%20b%26c%3Dd")]
    [InlineData("x/y#z", "/search?q=x%2Fy%23z")]
    public void A_value_in_the_query_is_percent_encoded_as_a_query_value(string value, string location) =>
        Assert.Equal((302, location), Rule("/find/{**term}", "/search?q={term}", keepQuery: false).Match(Request("/find/" + value)));

    [Theory]
    [InlineData("/go/%2Fevil.example/x", "/%2Fevil.example/x")]
    [InlineData("/go/\\evil.example/x", "/%5Cevil.example/x")] // Browsers read "/\host" as "//host".
    [InlineData("/go//evil.example/x", null)] // An empty segment: routing's matcher takes no value from it.
    public void A_value_cannot_make_a_relative_destination_scheme_relative(string requestPath, string? location) =>
        Assert.Equal(location, Rule("/go/{**rest}", "/{rest}").Match(Request(requestPath))?.Location);

    [Fact]
    public void A_value_cannot_move_an_absolute_destination_to_another_host()
    {
        var match = Rule("/go/{**rest}", "https://docs.example.com/{rest}").Match(Request("/go/@evil.example"));

        Assert.NotNull(match);
        Assert.Equal("docs.example.com", new Uri(match.Value.Location!).Host);
    }

    [Theory]
    [InlineData("/from/a\rb")]
    [InlineData("/from/a\nSet-Cookie: x=1")]
    [InlineData("/from/a\u0085b")] // C1 control (NEL).
    [InlineData("/from/a\u007fb")]
    public void A_matched_value_with_a_control_character_has_no_location(string requestPath) =>
        Assert.Equal((302, (string?)null), Rule("/from/{**rest}", "/to/{rest}").Match(Request(requestPath)));

    [Theory]
    [InlineData(true, "?a=1&b=2", "/new?a=1&b=2")]
    [InlineData(false, "?a=1&b=2", "/new")]
    [InlineData(true, "", "/new")]
    public void KeepQuery_appends_the_query_as_it_came(bool keepQuery, string query, string location) =>
        Assert.Equal((302, location), Rule("/old", "/new", keepQuery: keepQuery).Match(Request("/old", query: query)));

    [Fact]
    public void A_kept_query_joins_a_destination_that_has_one() =>
        Assert.Equal((302, "/new?v=2&a=1"), Rule("/old", "/new?v=2").Match(Request("/old", query: "?a=1")));

    [Theory]
    [InlineData("old.example", true)]
    [InlineData("OLD.example", true)]
    [InlineData("www.old.example", true)]
    [InlineData("new.example", false)]
    public void Hosts_restrict_a_rule_to_those_hosts_in_any_case(string host, bool matches)
    {
        var rule = Rule("/{**rest}", "https://new.example/{rest}", hosts: ["old.example", "www.old.example"]);

        var match = rule.Match(Request("/a", host: host + ":8080"));

        Assert.Equal(matches ? (302, "https://new.example/a") : null, match);
    }

    [Fact]
    public void A_rule_without_hosts_matches_any_host() =>
        Assert.NotNull(Rule("/old", "/new").Match(Request("/old", host: "anything.example")));

    [Theory]
    [InlineData("/docs/{**rest}", "/v2/{rest}")]
    [InlineData("/users/{id?}", "https://api.example/users/{id}")]
    [InlineData("/old", "//cdn.example/new")]
    [InlineData("/old", "mailto:ops@example.com")]
    public void A_usable_rule_has_no_problems(string path, string destination) =>
        Assert.Empty(RedirectRule.Problems(Options(path, destination)));

    [Theory]
    [InlineData("old", "/new", "Path: must start with '/'")]
    [InlineData("", "/new", "Path: must start with '/'")]
    [InlineData("/users/{id", "/new", "Path: not a route pattern: ")]
    [InlineData("/users/{id:int}", "/new", "Path: '{id:int}' has a constraint; redirect rules do not check constraints")] // it matched /users/abc
    [InlineData("/old", "", "Destination: required")]
    [InlineData("/old", "/new\r\nX: y", "Destination: contains a control character")]
    [InlineData("/old", "new", "Destination: 'new' is neither a path starting with '/' nor an absolute URL")]
    [InlineData("/{**rest}", "https://{rest}", "Destination: 'https://{rest}' takes its host from the request; values may only follow the host's '/'")]
    [InlineData("/{**rest}", "//{rest}/x", "Destination: '//{rest}/x' takes its host from the request; values may only follow the host's '/'")]
    [InlineData("/{host}/{**rest}", "https://{host}.example.com/{rest}", "Destination: 'https://{host}.example.com/{rest}' takes its host from the request")]
    [InlineData("/users/{id}", "/api/{user}", "Destination: '{user}' is not a value of Path")]
    public void A_problem_names_its_field(string path, string destination, string expected) =>
        Assert.Contains(RedirectRule.Problems(Options(path, destination)), problem => problem.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Every_value_the_pattern_lacks_is_named()
    {
        var problems = RedirectRule.Problems(Options("/users/{id}", "/api/{user}/{id}/{tab}")).ToList();

        Assert.Equal(["Destination: '{user}' is not a value of Path", "Destination: '{tab}' is not a value of Path"], problems);
    }

    private static RedirectRule Rule(string path, string destination, bool permanent = false, bool keepQuery = true, List<string>? hosts = null) =>
        new("rule", Options(path, destination, permanent, keepQuery, hosts));

    private static RedirectRuleOptions Options(string path, string destination, bool permanent = false, bool keepQuery = true, List<string>? hosts = null) =>
        new() { Path = path, Destination = destination, Permanent = permanent, KeepQuery = keepQuery, Hosts = hosts ?? [] };

    private static HttpRequest Request(string path, string method = "GET", string query = "", string host = "gateway.example")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.Host = new HostString(host);
        return context.Request;
    }
}
