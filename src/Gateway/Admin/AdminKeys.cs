using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>Checks <c>X-Admin-Key</c>. Keys are compared as SHA-256 digests in constant time, every key every time.</summary>
internal sealed class AdminKeys(IOptionsMonitor<AdminOptions> settings)
{
    public const string Header = "X-Admin-Key";

    public AdminAccess Check(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return AdminAccess.None;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var current = settings.CurrentValue;
        var full = Matches(digest, current.AdminKeys);
        var readOnly = Matches(digest, current.ReadOnlyKeys);
        return full ? AdminAccess.Full : readOnly ? AdminAccess.ReadOnly : AdminAccess.None;
    }

    private static bool Matches(byte[] digest, List<string> keys)
    {
        var found = false;
        foreach (var key in keys)
        {
            found |= CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return found;
    }
}
