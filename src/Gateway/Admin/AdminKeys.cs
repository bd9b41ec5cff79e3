using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>Checks <c>X-Admin-Key</c>. Keys are compared as SHA-256 digests in constant time, every key every time.</summary>
internal sealed class AdminKeys(IOptionsMonitor<AdminOptions> settings)
{
    public const string Header = "X-Admin-Key";

    public AdminAccess Check(string? presented) => Identify(presented).Access;

    /// <summary>The access a key gives and its name for the audit: its place in the config (<c>Admin:AdminKeys:0</c>), never the key.</summary>
    public (AdminAccess Access, string? Name) Identify(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return (AdminAccess.None, null);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var current = settings.CurrentValue;
        var full = Match(digest, current.AdminKeys);
        var readOnly = Match(digest, current.ReadOnlyKeys);
        return full >= 0 ? (AdminAccess.Full, $"{AdminOptions.SectionName}:{nameof(AdminOptions.AdminKeys)}:{full}")
            : readOnly >= 0 ? (AdminAccess.ReadOnly, $"{AdminOptions.SectionName}:{nameof(AdminOptions.ReadOnlyKeys)}:{readOnly}")
            : (AdminAccess.None, null);
    }

    /// <summary>The index of the first matching key, or -1; every key is compared.</summary>
    private static int Match(byte[] digest, List<string> keys)
    {
        var found = -1;
        for (var i = 0; i < keys.Count; i++)
        {
            var equal = CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(keys[i])));
            found = found < 0 && equal ? i : found;
        }

        return found;
    }
}
