using System.Text.RegularExpressions;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Store;

internal sealed partial class StoreOptionsCheck() : OptionsCheck<StoreOptions>(StoreOptions.SectionName)
{
    protected override void Check(StoreOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors)
    {
        if (settings.ReconcileInterval <= TimeSpan.Zero || settings.ReconcileInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{section.Path}:ReconcileInterval: '{settings.ReconcileInterval}' must be more than 0 and at most an hour");
        }

        if (settings.Redis.ConnectionString is { Length: > 0 } connectionString && StoreExtensions.ConnectionStringProblem(connectionString) is { } problem)
        {
            errors.Add($"{section.Path}:Redis:ConnectionString: {problem}");
        }

        if (!KeyPrefixPattern().IsMatch(settings.Redis.KeyPrefix))
        {
            errors.Add($"{section.Path}:Redis:KeyPrefix: '{settings.Redis.KeyPrefix}' must be 1 to 64 letters, digits, '_', '-' or '.', in parts ending with ':' (for example 'gateway:' or 'shop:gateway:')");
        }

        if (StoreExtensions.RedisConnectionString(candidate) is not null && settings.IntegrityKey.Length == 0)
        {
            errors.Add($"{section.Path}:IntegrityKey: required with Redis: every value kept there is tagged with it, so one written by anyone else is refused (at least {DemoSecrets.MinimumLength} characters, the same on every replica)");
        }

        DemoSecrets.Check(candidate, $"{section.Path}:IntegrityKey", settings.IntegrityKey, errors);
    }

    /// <summary>No glob characters (an ACL key pattern is the prefix and '*'), no spaces or control characters.</summary>
    [GeneratedRegex(@"^(?=.{1,64}\z)([A-Za-z0-9_.-]+:)+\z")]
    private static partial Regex KeyPrefixPattern();
}
