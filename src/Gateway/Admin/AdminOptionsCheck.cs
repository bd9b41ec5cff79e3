using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Admin;

/// <summary>
/// The <c>Admin</c> section: named keys, each with a secret that is not the repository's (outside demo mode) and an
/// access, no key under two names, and a failed-key limit that limits. The old key lists are refused by name.
/// </summary>
internal sealed class AdminOptionsCheck : IConfigCheck
{
    private const string NewShape = "Admin:Keys:<name>:Key and Admin:Keys:<name>:Access (Full or ReadOnly)";
    private const int MaxNameLength = 64;

    /// <summary>Before named keys: lists whose index was the key's name in the audit, so reordering rewrote history.</summary>
    private static readonly string[] OldLists = ["AdminKeys", "ReadOnlyKeys"];

    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var section = candidate.GetSection(AdminOptions.SectionName);
        var old = OldLists.Where(list => section.GetSection(list).Exists()).ToList();
        foreach (var list in old)
        {
            errors.Add($"{section.Path}:{list}: admin keys are now named: set {NewShape}; the audit shows the name");
        }

        if (old.Count > 0 || SectionBinder.Bind<AdminOptions>(section, errors, section.Path) is not { } admin)
        {
            return;
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal); // key → the first name that has it
        foreach (var (name, key) in admin.Keys.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var path = $"{section.Path}:{nameof(AdminOptions.Keys)}:{name}";
            if (name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                errors.Add($"{path}: a key's name may hold up to {MaxNameLength} letters, digits, '-', '_' and '.' (the audit and logs show it)");
            }

            if (string.IsNullOrEmpty(key.Key))
            {
                errors.Add($"{path}:{nameof(AdminKeyOptions.Key)}: is required");
            }
            else if (!seen.TryAdd(key.Key, name))
            {
                errors.Add($"{path}:{nameof(AdminKeyOptions.Key)}: is the same key as {section.Path}:{nameof(AdminOptions.Keys)}:{seen[key.Key]}; one key, one name");
            }

            if (key.Access is not (AdminAccess.Full or AdminAccess.ReadOnly))
            {
                errors.Add($"{path}:{nameof(AdminKeyOptions.Access)}: must be Full or ReadOnly");
            }

            DemoSecrets.Check(candidate, $"{path}:{nameof(AdminKeyOptions.Key)}", key.Key, errors);
        }

        var limit = admin.FailedKeyLimit;
        var limitPath = $"{section.Path}:{nameof(AdminOptions.FailedKeyLimit)}";
        if (limit.PermitLimit < 1)
        {
            errors.Add($"{limitPath}:{nameof(FailedKeyLimitOptions.PermitLimit)}: {limit.PermitLimit} must be at least 1");
        }

        if (limit.Window < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{limitPath}:{nameof(FailedKeyLimitOptions.Window)}: {limit.Window} must be at least 00:00:01");
        }
    }
}
