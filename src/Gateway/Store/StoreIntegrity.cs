using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Store;

/// <summary>
/// The tag on every value the gateway keeps in Redis: an HMAC-SHA256 made with <c>Store:IntegrityKey</c>, which Redis
/// never sees, so whoever can write to Redis without the key cannot make a value the gateway accepts. The tag covers the
/// value and the full key it is kept under: a value cannot be moved to another key, or to another gateway's prefix.
/// It cannot stop a replay: a value the gateway once wrote under a key may be written back under that key.
/// Text values are kept as <c>s1.&lt;tag, base64url&gt;.&lt;value&gt;</c> (still readable with redis-cli), bytes as
/// <c>s1.</c>, the 32 tag bytes, then the value.
/// </summary>
public sealed class StoreIntegrity(string key)
{
    private const string Version = "s1.";
    private const int TagBytes = 32;
    private const int TagChars = 43; // base64url of 32 bytes, unpadded
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    public string Seal(string where, string value) =>
        string.Concat(Version, Base64Url.EncodeToString(Tag(where, Encoding.UTF8.GetBytes(value))), ".", value);

    public SealCheck Open(string where, string stored, out string value)
    {
        value = "";
        if (stored.Length < Version.Length + TagChars + 1 || !stored.StartsWith(Version, StringComparison.Ordinal) || stored[Version.Length + TagChars] != '.')
        {
            return SealCheck.Untagged;
        }

        // Checked first: decoding throws on a character outside base64url, and the text is not ours.
        var encodedTag = stored.AsSpan(Version.Length, TagChars);
        Span<byte> tag = stackalloc byte[TagBytes];
        if (!Base64Url.IsValid(encodedTag, out var length) || length != TagBytes || Base64Url.DecodeFromChars(encodedTag, tag) != TagBytes)
        {
            return SealCheck.Forged;
        }

        var payload = stored[(Version.Length + TagChars + 1)..];
        if (!CryptographicOperations.FixedTimeEquals(tag, Tag(where, Encoding.UTF8.GetBytes(payload))))
        {
            return SealCheck.Forged;
        }

        value = payload;
        return SealCheck.Valid;
    }

    public byte[] Seal(string where, ReadOnlySequence<byte> value)
    {
        var sealedValue = new byte[Version.Length + TagBytes + value.Length];
        Encoding.ASCII.GetBytes(Version, sealedValue);
        value.CopyTo(sealedValue.AsSpan(Version.Length + TagBytes));
        Tag(where, sealedValue.AsSpan(Version.Length + TagBytes)).CopyTo(sealedValue.AsSpan(Version.Length));
        return sealedValue;
    }

    public SealCheck Open(string where, byte[] stored, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (stored.Length < Version.Length + TagBytes || !stored.AsSpan(0, Version.Length).SequenceEqual("s1."u8))
        {
            return SealCheck.Untagged;
        }

        var payload = stored.AsMemory(Version.Length + TagBytes);
        if (!CryptographicOperations.FixedTimeEquals(stored.AsSpan(Version.Length, TagBytes), Tag(where, payload.Span)))
        {
            return SealCheck.Forged;
        }

        value = payload;
        return SealCheck.Valid;
    }

    /// <summary>HMAC over the key, a zero byte (no key holds one) and the value.</summary>
    private byte[] Tag(string where, ReadOnlySpan<byte> value)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.UTF8.GetBytes(where));
        hmac.AppendData([0]);
        hmac.AppendData(value);
        return hmac.GetHashAndReset();
    }
}
