using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>Checks <c>X-Admin-Key</c>. Keys are compared as SHA-256 digests in constant time, every key every time.</summary>
internal sealed class AdminKeys(IOptionsMonitor<AdminOptions> settings)
{
    public const string Header = "X-Admin-Key";

    /// <summary>The access a key gives and its name for the audit (<c>Admin:Keys:&lt;name&gt;</c>), never the key.</summary>
    public (AdminAccess Access, string? Name) Identify(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return (AdminAccess.None, null);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (AdminAccess Access, string? Name) found = (AdminAccess.None, null);
        // In name order, so that the answer never depends on the order of the file (the check refuses a key under two names).
        foreach (var (name, key) in settings.CurrentValue.Keys.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var equal = CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(key.Key)));
            found = equal && key.Access > found.Access ? (key.Access, name) : found;
        }

        return found;
    }
}
