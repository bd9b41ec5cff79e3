using System.Net;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>401/403 decided at the gateway (routes choose YARP's AuthorizationPolicy), before the upstream is asked.</summary>
public sealed class AuthTests : PerTestGateway
{
    [Fact]
    public async Task No_token_is_401_problem_with_a_bearer_challenge()
    {
        using var response = await Client.GetAsync(new Uri("/api/profile", UriKind.Relative));
        await ProblemAssert.IsGatewayProblemAsync(response, 401, "auth");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Bad_and_expired_tokens_are_401_with_the_token_error_in_the_challenge()
    {
        var expired = Tokens.Create("bob", "user", DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1));
        var wrongKey = Tokens.Create("bob", "user", DateTime.UtcNow, DateTime.UtcNow.AddHours(1), key: new string('x', 40));
        foreach (var token in new[] { "not-a-jwt", expired, wrongKey })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/profile");
            Tokens.Bearer(request, token);
            using var response = await Client.SendAsync(request);
            await ProblemAssert.IsGatewayProblemAsync(response, 401, "auth");
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        }

        using var expiredRequest = new HttpRequestMessage(HttpMethod.Get, "/api/profile");
        Tokens.Bearer(expiredRequest, expired);
        using var expiredResponse = await Client.SendAsync(expiredRequest);
        Assert.Contains("expired", expiredResponse.Headers.WwwAuthenticate.Single().Parameter, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Issue 24, finding 9: the challenge carried the validator's reasons ("The signature key was not found", the
    /// issuer and audience it was given), which help whoever forges tokens and no honest client. Only the token error
    /// stays, and the expiry (the one reason a client acts on: log in again).
    /// </summary>
    [Fact]
    public async Task The_challenge_names_the_token_error_and_the_expiry_but_not_the_validators_reasons()
    {
        var now = DateTime.UtcNow;
        var forged = new Dictionary<string, string>
        {
            ["another signing key"] = Tokens.Create("bob", "admin", now, now.AddHours(1), key: new string('x', 40)),
            ["another issuer"] = Tokens.Create("bob", "admin", now, now.AddHours(1), issuer: "forged-issuer"),
            ["another audience"] = Tokens.Create("bob", "admin", now, now.AddHours(1), audience: "forged-audience"),
            ["not yet valid"] = Tokens.Create("bob", "admin", now.AddHours(1), now.AddHours(2)),
            ["not a token"] = "not-a-jwt",
            ["a bad signature"] = Tokens.Create("bob", "admin", now, now.AddHours(1))[..^4] + "AAAA",
        };
        foreach (var (what, token) in forged)
        {
            var challenge = await ChallengeAsync(token);
            Assert.True(challenge == "Bearer error=\"invalid_token\"", $"{what}: {challenge}");
        }

        var expired = await ChallengeAsync(Tokens.Create("bob", "user", now.AddHours(-2), now.AddHours(-1)));
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"The token expired at '", expired, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway-demo", expired, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_token_reaches_the_profile()
    {
        var token = await Tokens.LoginAsync(Client, "bob");
        Assert.Equal(200, await StatusAsync("/api/profile", request => Tokens.Bearer(request, token)));
    }

    [Fact]
    public async Task Admin_route_is_403_problem_without_the_role_and_open_with_it()
    {
        var bob = await Tokens.LoginAsync(Client, "bob");
        using var asBob = new HttpRequestMessage(HttpMethod.Delete, "/api/admin/users/1");
        Tokens.Bearer(asBob, bob);
        using var forbidden = await Client.SendAsync(asBob);
        await ProblemAssert.IsGatewayProblemAsync(forbidden, 403, "auth");

        var alice = await Tokens.LoginAsync(Client, "alice");
        using var asAlice = new HttpRequestMessage(HttpMethod.Delete, "/api/admin/users/1");
        Tokens.Bearer(asAlice, alice);
        using var done = await Client.SendAsync(asAlice);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
    }

    [Fact]
    public async Task An_edited_signing_key_applies_live_and_old_tokens_stop_working()
    {
        const string NewKey = "a-brand-new-signing-key-0123456789abcdefgh";
        var old = await Tokens.LoginAsync(Client, "bob");
        // /api/users is not checked by the upstream, so what is seen here is the gateway's verdict alone.
        await Gateway.EditConfigAsync(Config, json =>
        {
            json["Auth"]!["SigningKey"] = NewKey;
            json["ReverseProxy"]!["Routes"]!["users-api"]!["AuthorizationPolicy"] = "authenticated";
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1");
        Tokens.Bearer(request, old);
        using var refused = await Client.SendAsync(request);
        await ProblemAssert.IsGatewayProblemAsync(refused, 401, "auth");
        var fresh = Tokens.Create("bob", "user", DateTime.UtcNow, DateTime.UtcNow.AddHours(1), key: NewKey);
        Assert.Equal(200, await StatusAsync("/api/users/1", request => Tokens.Bearer(request, fresh)));
    }

    /// <summary>
    /// Issue 28: the gateway caches validated tokens. The token is validated (and cached) before the edit, so only a
    /// cache that starts afresh with the edited Auth section refuses it after.
    /// </summary>
    [Theory]
    [InlineData("SigningKey", "a-brand-new-signing-key-0123456789abcdefgh")]
    [InlineData("Issuer", "another-issuer")]
    [InlineData("Audience", "another-audience")]
    public async Task A_cached_token_is_validated_afresh_after_an_edit_of_the_Auth_section(string setting, string value)
    {
        var now = DateTime.UtcNow;
        var old = Tokens.Create("bob", "user", now, now.AddHours(1));
        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["users-api"]!["AuthorizationPolicy"] = "authenticated");
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.Equal(200, await StatusAsync("/api/users/1", request => Tokens.Bearer(request, old)));
        }

        await Gateway.EditConfigAsync(Config, json => json["Auth"]![setting] = value);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1");
        Tokens.Bearer(request, old);
        using var refused = await Client.SendAsync(request);
        await ProblemAssert.IsGatewayProblemAsync(refused, 401, "auth");
        Assert.Equal("Bearer error=\"invalid_token\"", string.Join(", ", refused.Headers.GetValues("WWW-Authenticate")));
        var fresh = setting switch
        {
            "SigningKey" => Tokens.Create("bob", "user", now, now.AddHours(1), key: value),
            "Issuer" => Tokens.Create("bob", "user", now, now.AddHours(1), issuer: value),
            _ => Tokens.Create("bob", "user", now, now.AddHours(1), audience: value),
        };
        Assert.Equal(200, await StatusAsync("/api/users/1", request => Tokens.Bearer(request, fresh)));
    }

    [Fact]
    public async Task A_route_edit_can_require_a_token_live()
    {
        Assert.Equal(200, await StatusAsync("/api/users/1"));
        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["users-api"]!["AuthorizationPolicy"] = "authenticated");
        Assert.Equal(401, await StatusAsync("/api/users/1"));
    }

    private async Task<string> ChallengeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/profile");
        Tokens.Bearer(request, token);
        using var response = await Client.SendAsync(request);
        await ProblemAssert.IsGatewayProblemAsync(response, 401, "auth");
        return string.Join(", ", response.Headers.GetValues("WWW-Authenticate"));
    }
}
