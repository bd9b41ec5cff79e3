namespace Deploy.Tests.Infrastructure;

/// <summary>The ACL a redis-server command line sets (<c>--user name rule...</c>), and a StackExchange.Redis connection string's options.</summary>
internal sealed record RedisAcl(string DefaultUser, string Password, IReadOnlyList<string> Rules)
{
    /// <summary>
    /// What the gateway's user may do: its keys (the store's and cache's gateway:*, RedisRateLimiting's rl:??:{gateway:*}),
    /// its change channel, every command but @admin and @dangerous, and INFO (the client reads the server version from it).
    /// tests/Gateway.IntegrationTests/Replicas/RedisAclTests runs the gateway against exactly compose's rules.
    /// </summary>
    public static readonly IReadOnlyList<string> GatewayRules =
        ["~gateway:*", "~rl:??:{gateway:*", "resetchannels", "&gateway:*", "+@all", "-@admin", "-@dangerous", "+info"];

    /// <summary>The arguments of <c>redis-server</c> (the program's name first).</summary>
    public static RedisAcl Parse(IReadOnlyList<string> command)
    {
        Assert.Equal("redis-server", command[0]);
        // Each --user starts one ACL line: the user's name, then its rules, up to the next option.
        var lines = new List<List<string>>();
        List<string>? line = null;
        foreach (var argument in command.Skip(1))
        {
            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                line = argument == "--user" ? [] : null;
                if (line is not null)
                {
                    lines.Add(line);
                }
            }
            else
            {
                line?.Add(argument);
            }
        }

        Assert.All(lines.GroupBy(words => words[0]), user => Assert.True(user.Count() == 1, $"redis-server: user {user.Key} is set twice"));
        var users = lines.ToDictionary(words => words[0], StringComparer.Ordinal);
        Assert.True(users.TryGetValue("default", out var defaultUser), "redis-server: the default user is not configured (it would be open, no password)");
        Assert.True(users.TryGetValue("gateway", out var gateway), "redis-server: no ACL user 'gateway'");
        var rules = gateway.Skip(1).ToList();
        Assert.Equal("on", rules[0]);
        var password = rules.SingleOrDefault(rule => rule.StartsWith('>'));
        Assert.True(password is { Length: > 1 }, "redis-server: the gateway user has no password (>...)");
        return new RedisAcl(
            string.Join(' ', defaultUser.Skip(1)),
            password[1..],
            rules.Skip(1).Where(rule => rule != password).ToList());
    }

    /// <summary>The options after the endpoint: <c>redis:6379,user=u,password=p</c> gives user and password.</summary>
    public static IReadOnlyDictionary<string, string> ConnectionOptions(string connectionString) =>
        connectionString.Split(',').Skip(1)
            .Select(option => option.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : "", StringComparer.Ordinal);
}
