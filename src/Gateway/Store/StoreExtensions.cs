using System.Text.RegularExpressions;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Store;

public static partial class StoreExtensions
{
    /// <summary>The rate limiter's keys of before the store had a name of its own; still read.</summary>
    private const string LegacyStoreKey = "RateLimiting:Store";
    private const string LegacyConnectionKey = "RateLimiting:Redis:ConnectionString";

    public static IServiceCollection AddGatewayStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.SectionName);
        services.AddSingleton<IConfigCheck>(new SectionCheck<StoreOptions>(StoreOptions.SectionName));
        services.AddSingleton<IConfigCheck, StoreCheck>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisConnections>();
        services.AddSingleton<StoreRejections>();
        services.AddSingleton(provider => new StoreIntegrity(provider.GetRequiredService<IOptions<StoreOptions>>().Value.IntegrityKey));
        var connectionString = RedisConnectionString(configuration);
        services.AddSingleton<ISharedStore>(provider => connectionString is null
            ? new MemoryStore()
            : new RedisStore(() => provider.GetRequiredService<RedisConnections>().Get(connectionString),
                provider.GetRequiredService<IOptions<StoreOptions>>().Value.Redis.KeyPrefix, provider.GetRequiredService<StoreIntegrity>(),
                provider.GetRequiredService<StoreRejections>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RedisStore>>()));
        services.AddHostedService<StoreSync>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return services;
    }

    /// <summary><c>Store:Redis:ConnectionString</c>, else the rate limiter's Redis when <c>RateLimiting:Store</c> is redis, else none (memory).</summary>
    public static string? RedisConnectionString(IConfiguration configuration)
    {
        if (configuration[$"{StoreOptions.SectionName}:Redis:ConnectionString"] is { Length: > 0 } own)
        {
            return own;
        }

        return string.Equals(configuration[LegacyStoreKey], "redis", StringComparison.OrdinalIgnoreCase)
            && configuration[LegacyConnectionKey] is { Length: > 0 } legacy ? legacy : null;
    }

    /// <summary>A Redis connection string StackExchange.Redis cannot parse is an error in the file, not an outage.</summary>
    public static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0 ? "names no endpoint (host:port)" : null;
        }
        catch (Exception ex) when (ex is ArgumentException or RedisConnectionException)
        {
            return ex.Message;
        }
    }

    private sealed class StoreCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(StoreOptions.SectionName);
            if (SectionBinder.Bind<StoreOptions>(section, [], section.Path) is not { } settings)
            {
                return;
            }

            if (settings.ReconcileInterval <= TimeSpan.Zero || settings.ReconcileInterval > TimeSpan.FromHours(1))
            {
                errors.Add($"{section.Path}:ReconcileInterval: '{settings.ReconcileInterval}' must be more than 0 and at most an hour");
            }

            if (settings.Redis.ConnectionString is { Length: > 0 } connectionString && ConnectionStringProblem(connectionString) is { } problem)
            {
                errors.Add($"{section.Path}:Redis:ConnectionString: {problem}");
            }

            if (!KeyPrefixPattern().IsMatch(settings.Redis.KeyPrefix))
            {
                errors.Add($"{section.Path}:Redis:KeyPrefix: '{settings.Redis.KeyPrefix}' must be 1 to 64 letters, digits, '_', '-' or '.', in parts ending with ':' (for example 'gateway:' or 'shop:gateway:')");
            }

            if (RedisConnectionString(candidate) is not null && settings.IntegrityKey.Length == 0)
            {
                errors.Add($"{section.Path}:IntegrityKey: required with Redis: every value kept there is tagged with it, so one written by anyone else is refused (at least {DemoSecrets.MinimumLength} characters, the same on every replica)");
            }

            DemoSecrets.Check(candidate, $"{section.Path}:IntegrityKey", settings.IntegrityKey, errors);
        }
    }

    /// <summary>No glob characters (an ACL key pattern is the prefix and '*'), no spaces or control characters.</summary>
    [GeneratedRegex(@"^(?=.{1,64}\z)([A-Za-z0-9_.-]+:)+\z")]
    private static partial Regex KeyPrefixPattern();
}
