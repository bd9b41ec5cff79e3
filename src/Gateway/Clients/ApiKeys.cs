using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Clients;

/// <summary>
/// Which configured client an <c>X-Api-Key</c> names (<c>Clients:ApiKeys</c>), or none. The key is hashed and its digest
/// compared with every configured digest in constant time, all of them every time, so timing tells nothing of a guess.
/// </summary>
public sealed partial class ApiKeys : IDisposable
{
    public const string Header = "X-Api-Key";

    /// <summary>The route <c>AuthorizationPolicy</c> that requires a configured key (401 without one).</summary>
    public const string Policy = "api-key";

    /// <summary>The authentication scheme behind <see cref="Policy"/>; its principal carries the client's name in <see cref="NameClaim"/>.</summary>
    public const string Scheme = "ApiKey";

    public const string NameClaim = "client";

    private readonly IDisposable? _subscription;
    private volatile Client[] _clients;

    public ApiKeys(IOptionsMonitor<ClientsOptions> options)
    {
        _clients = Parse(options.CurrentValue);
        _subscription = options.OnChange(changed => _clients = Parse(changed));
    }

    /// <summary>The configured client this request's key names, or null (no key, or one that is not configured); decided once per request.</summary>
    public string? Identify(HttpContext context)
    {
        if (context.Request.Headers[Header].ToString() is not { Length: > 0 } presented)
        {
            return null;
        }

        if (context.Features.Get<ApiKeyFeature>() is { } known)
        {
            return known.Client;
        }

        var client = Identify(presented);
        context.Features.Set(new ApiKeyFeature(client));
        return client;
    }

    public string? Identify(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        string? found = null;
        foreach (var client in _clients)
        {
            var equal = CryptographicOperations.FixedTimeEquals(digest, client.Digest);
            found ??= equal ? client.Name : null;
        }

        return found;
    }

    /// <summary>What is wrong with the section, each text starting with the key it is about (below <c>Clients:</c>).</summary>
    public static IEnumerable<string> Problems(ClientsOptions options)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, key) in options.ApiKeys)
        {
            var path = $"{nameof(ClientsOptions.ApiKeys)}:{name}";
            if (!ClientName().IsMatch(name))
            {
                yield return $"{path}: the name '{name}' must be 1 to 64 letters, digits, '.', '_' or '-' (it appears in rate-limit keys and logs)";
            }

            if (Digest(key.Sha256) is null)
            {
                yield return $"{path}:Sha256: must be the key's SHA-256 as 64 hex digits (printf %s KEY | sha256sum), not the key itself";
            }
            else if (!names.TryAdd(key.Sha256.ToLowerInvariant(), name))
            {
                yield return $"{path}:Sha256: the same digest as {ClientsOptions.SectionName}:{nameof(ClientsOptions.ApiKeys)}:{names[key.Sha256.ToLowerInvariant()]}; one key can name only one client";
            }
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private static byte[]? Digest(string hex) =>
        hex.Length == SHA256.HashSizeInBytes * 2 && hex.All(char.IsAsciiHexDigit) ? Convert.FromHexString(hex) : null;

    /// <summary>Entries the check would refuse are skipped: a rejected edit never reaches here, but a default must not throw.</summary>
    private static Client[] Parse(ClientsOptions options) =>
        options.ApiKeys
            .Select(pair => (pair.Key, Digest: Digest(pair.Value.Sha256)))
            .Where(entry => entry.Digest is not null)
            .Select(entry => new Client(entry.Key, entry.Digest!))
            .ToArray();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ClientName();

    private sealed record Client(string Name, byte[] Digest);
}
