using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// The JwtBearer token handler with a cache of tokens it validated, keyed on the exact token string (as Envoy's
/// jwt_authn jwt_cache_config): a repeated token skips parsing, the HMAC and the claim checks, which cost more per
/// request than the whole proxy did (issue 28). Only successes are kept; a token past exp + ClockSkew, or any other
/// string, goes through the full validation, so errors and challenges are the validator's own.
/// JwtBearer hands each request a clone of the options' TokenValidationParameters, so the cache cannot be keyed on
/// that instance: instead each JwtBearerOptions gets its own handler (AuthExtensions.Apply), and the options monitor
/// builds new options when the Auth section changes: an edited key, issuer or audience starts from an empty cache.
/// </summary>
/// <remarks>
/// Bounded at <paramref name="capacity"/> entries. An entry holds the token string (2 bytes a character), the parsed
/// JsonWebToken (header and payload decoded) and a copy of the claims: measured about 5 KB for a 284-character token
/// like the users API's (8 claims: 4.5 KB retained besides the 0.6 KB string), so about 50 MB at the default 10,000.
/// </remarks>
internal sealed class CachingTokenHandler(TimeProvider clock, int capacity = CachingTokenHandler.DefaultCapacity) : JsonWebTokenHandler
{
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _adding = new();

    /// <summary>Entries held now (for tests).</summary>
    internal int Count => _tokens.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_tokens.TryGetValue(token, out var cached))
        {
            if (clock.GetUtcNow().UtcDateTime <= cached.ValidUntil)
            {
                return cached.Result();
            }

            _tokens.TryRemove(new KeyValuePair<string, CachedToken>(token, cached)); // expired: the validator below says so
        }

        var result = await base.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (result.IsValid && CachedToken.From(result, validationParameters.ClockSkew) is { } entry)
        {
            Add(token, entry);
        }

        return result;
    }

    private void Add(string token, CachedToken entry)
    {
        // Only misses come here (each paid a full validation), so a lock keeps the bound exact at no cost to hits.
        lock (_adding)
        {
            if (_tokens.Count >= capacity && !_tokens.ContainsKey(token))
            {
                Evict();
            }

            _tokens[token] = entry;
        }
    }

    /// <summary>Drops expired entries; if all are live, drops them all (simpler than tracking use; each pays one validation).</summary>
    private void Evict()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (token, entry) in _tokens)
        {
            if (entry.ValidUntil < now)
            {
                _tokens.TryRemove(token, out _);
            }
        }

        if (_tokens.Count >= capacity)
        {
            _tokens.Clear();
        }
    }
}
