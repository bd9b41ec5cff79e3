using Gateway.Clients;
using Gateway.Configuration;
using Gateway.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Clients;

public sealed class ApiKeysTests
{
    // printf %s secret | sha256sum
    private const string SecretDigest = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

    // printf %s other | sha256sum
    private const string OtherDigest = "d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa";

    [Fact]
    public void A_configured_key_names_its_client_and_any_other_key_nobody()
    {
        using var keys = Keys(("partner", SecretDigest), ("other", OtherDigest.ToUpperInvariant()));

        Assert.Equal("partner", keys.Identify("secret"));
        Assert.Equal("other", keys.Identify("other")); // A digest in capitals is the same digest.
        Assert.Null(keys.Identify("Secret"));
        Assert.Null(keys.Identify(SecretDigest)); // The digest is not the key.
    }

    [Fact]
    public void A_request_is_identified_once_and_an_empty_key_is_no_key()
    {
        using var keys = Keys(("partner", SecretDigest));
        var context = new DefaultHttpContext();
        Assert.Null(keys.Identify(context));
        context.Request.Headers[ApiKeys.Header] = "";
        Assert.Null(keys.Identify(context));

        context.Request.Headers[ApiKeys.Header] = "secret";
        Assert.Equal("partner", keys.Identify(context));
        Assert.Equal("partner", context.Features.Get<ApiKeyFeature>()!.Client);
    }

    [Fact]
    public void An_edited_key_list_applies_to_the_next_request()
    {
        var options = new TestOptionsMonitor<ClientsOptions>(Options(("partner", SecretDigest)));
        using var keys = new ApiKeys(options);
        Assert.Equal("partner", keys.Identify("secret"));

        options.Set(Options(("renamed", SecretDigest)));

        Assert.Equal("renamed", keys.Identify("secret"));
    }

    [Theory]
    [InlineData("Clients:ApiKeys:partner:Sha256", "secret", "Clients:ApiKeys:partner:Sha256: must be the key's SHA-256 as 64 hex digits")]
    [InlineData("Clients:ApiKeys:partner:Sha256", "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25", "Clients:ApiKeys:partner:Sha256: must be")]
    [InlineData("Clients:ApiKeys:partner:Sha256", "zbb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", "Clients:ApiKeys:partner:Sha256: must be")]
    [InlineData("Clients:ApiKeys:partner:Sha", SecretDigest, "Clients: Clients:ApiKeys:partner:Sha: unknown key")]
    [InlineData("Clients:ApiKeys:bad name!:Sha256", SecretDigest, "Clients:ApiKeys:bad name!: the name 'bad name!' must be 1 to 64 letters")]
    public void A_malformed_entry_is_an_error_naming_its_key(string key, string value, string error)
    {
        var errors = Check(new() { [key] = value });

        Assert.Contains(errors, message => message.StartsWith(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_clients_with_one_digest_are_an_error_naming_both()
    {
        var errors = Check(new()
        {
            ["Clients:ApiKeys:first:Sha256"] = SecretDigest,
            ["Clients:ApiKeys:second:Sha256"] = SecretDigest.ToUpperInvariant(),
        });

        Assert.Equal(["Clients:ApiKeys:second:Sha256: the same digest as Clients:ApiKeys:first; one key can name only one client"], errors);
    }

    [Fact]
    public void Well_formed_clients_and_no_section_are_fine()
    {
        Assert.Empty(Check(new() { ["Clients:ApiKeys:partner:Sha256"] = SecretDigest, ["Clients:ApiKeys:other.v2:Sha256"] = OtherDigest }));
        Assert.Empty(Check([]));
    }

    private static List<string> Check(Dictionary<string, string?> values)
    {
        var errors = new List<string>();
        new SectionCheck<ClientsOptions>(ClientsOptions.SectionName, ApiKeys.Problems)
            .Check(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), errors);
        return errors;
    }

    private static ApiKeys Keys(params (string Name, string Digest)[] clients) => new(new TestOptionsMonitor<ClientsOptions>(Options(clients)));

    private static ClientsOptions Options(params (string Name, string Digest)[] clients)
    {
        var options = new ClientsOptions();
        foreach (var (name, digest) in clients)
        {
            options.ApiKeys[name] = new() { Sha256 = digest };
        }

        return options;
    }
}
