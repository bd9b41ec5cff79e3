using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Hosting;

/// <summary>
/// The repository's own secrets serve only in demo mode (<c>Gateway:DemoMode</c>, which the native demo and compose
/// turn on): everywhere else a secret that is a shipped value or shorter than <see cref="MinimumLength"/> is a config
/// error naming its key, so a real deployment cannot start on keys everyone has.
/// </summary>
public static class DemoSecrets
{
    public const string DemoModeKey = "Gateway:DemoMode";

    public const int MinimumLength = 32;

    /// <summary>Every secret value committed to this repository (root config, compose, deploy/k8s, tests' demo values).</summary>
    public static IReadOnlySet<string> Shipped { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "gateway-demo-signing-key-change-me-0123456789abcdef",
        "demo-admin-key",
        "demo-readonly-key",
        "gateway-demo-redis-password-change-me",
        "gateway-demo-store-integrity-key-change-me-0123456789",
        "test-store-integrity-key-0123456789abcdef",
    };

    public static bool IsDemoMode(IConfiguration configuration) =>
        bool.TryParse(configuration[DemoModeKey], out var on) && on;

    /// <summary>Adds an error naming <paramref name="key"/> when its value may not serve outside demo mode.</summary>
    public static void Check(IConfiguration candidate, string key, string? value, ICollection<string> errors)
    {
        if (string.IsNullOrEmpty(value) || IsDemoMode(candidate))
        {
            return;
        }

        if (Shipped.Contains(value))
        {
            errors.Add($"{key}: is a demo value published in the gateway's repository; set a secret of your own (or {DemoModeKey}=true for the demo)");
        }
        else if (value.Length < MinimumLength)
        {
            errors.Add($"{key}: is {value.Length} characters; a secret needs at least {MinimumLength}");
        }
    }

    /// <summary>
    /// The settings whose value holds a shipped secret, also inside a longer value (a Redis connection string's
    /// password): what demo mode tells at start and on <c>/healthz</c>. Each provider's own keys are searched, then the
    /// value in force checked: walking the whole configuration asks every provider for every section's children (10,000
    /// routes: 0.35 s for each <c>/healthz</c>, 1.4 s at start).
    /// </summary>
    public static IReadOnlyList<string> SettingsInUse(IConfiguration configuration) =>
        (configuration is IConfigurationRoot root
            ? root.Providers
                .SelectMany(provider => ConfigKeys.Of(provider).Where(key => provider.TryGet(key, out var value) && HoldsSecret(value)))
                .Where(key => HoldsSecret(root[key]))
            : configuration.AsEnumerable().Where(setting => HoldsSecret(setting.Value)).Select(setting => setting.Key))
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Order(StringComparer.OrdinalIgnoreCase)
        .ToList();

    private static bool HoldsSecret(string? value) =>
        value is { Length: > 0 } && Shipped.Any(secret => value.Contains(secret, StringComparison.Ordinal));
}
