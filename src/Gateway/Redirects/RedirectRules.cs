using Microsoft.Extensions.Options;

namespace Gateway.Redirects;

/// <summary>The rules in force, rebuilt when the section changes (an invalid edit never gets here: the config check refuses it).</summary>
internal sealed class RedirectRules : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile RedirectRule[] _rules = [];

    public RedirectRules(IOptionsMonitor<RedirectOptions> settings)
    {
        Rebuild(settings.CurrentValue);
        _subscription = settings.OnChange(Rebuild);
    }

    public RedirectRule[] Current => _rules;

    public void Dispose() => _subscription?.Dispose();

    private void Rebuild(RedirectOptions settings) =>
        _rules = settings.Rules.OrderBy(rule => rule.Key, StringComparer.OrdinalIgnoreCase)
            .Where(rule => !RedirectRule.Problems(rule.Value).Any())
            .Select(rule => new RedirectRule(rule.Key, rule.Value)).ToArray();
}
