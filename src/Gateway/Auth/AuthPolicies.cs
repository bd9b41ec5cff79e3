namespace Gateway.Auth;

/// <summary>Route <c>AuthorizationPolicy</c> names the gateway knows.</summary>
public static class AuthPolicies
{
    /// <summary>Any valid token.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>A valid token with the <c>admin</c> role.</summary>
    public const string Admin = "admin";
}
