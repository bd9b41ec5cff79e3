using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// One successful validation, kept by <see cref="CachingTokenHandler"/> until the token's exp plus the clock skew.
/// The identity is a private copy and every request gets its own clone: JwtBearer wraps the result's ClaimsIdentity
/// in the request's ClaimsPrincipal as it is (no copy), and a ClaimsIdentity is mutable (AddClaim, Actor, Label), so a
/// shared one would let a change made for one request show in the next. The SecurityToken (a parsed JsonWebToken,
/// read-only once built) is shared: JwtBearer only reads ValidFrom and ValidTo from it.
/// </summary>
internal sealed class CachedToken(SecurityToken token, ClaimsIdentity identity, DateTime validUntil)
{
    /// <summary>Last instant (UTC) at which the validator itself still accepts the token: exp + ClockSkew.</summary>
    public DateTime ValidUntil => validUntil;

    /// <summary>Null for a token without exp (nothing would end its entry; such a token is validated every time).</summary>
    public static CachedToken? From(TokenValidationResult result, TimeSpan clockSkew)
    {
        if (result.SecurityToken is not { } token || token.ValidTo == DateTime.MinValue || result.ClaimsIdentity is not { } identity)
        {
            return null;
        }

        var until = token.ValidTo > DateTime.MaxValue - clockSkew ? DateTime.MaxValue : token.ValidTo + clockSkew;
        return new CachedToken(token, identity.Clone(), until);
    }

    public TokenValidationResult Result() => new() { IsValid = true, SecurityToken = token, ClaimsIdentity = identity.Clone() };
}
