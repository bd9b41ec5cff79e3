namespace Gateway.Auth;

/// <summary>The <c>Auth</c> section: the JWT the users API issues. Change the key for anything but the demo.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HS256 key shared with the token issuer; at least 32 bytes.</summary>
    public string SigningKey { get; init; } = "";

    public string Issuer { get; init; } = "gateway-demo";

    public string Audience { get; init; } = "gateway-demo";
}
