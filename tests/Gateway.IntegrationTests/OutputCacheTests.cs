using System.Net;
using System.Net.Http.Headers;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>
/// The gateway's shared cache on the root config's products route (OutputCachePolicy shared): the users API sends
/// Cache-Control: public, max-age=30 and an ETag there, and X-Upstream-Answers counts its own answers.
/// </summary>
public sealed class OutputCacheTests : PerTestGateway
{
    private const string Products = "/api/products";
    private const string Answers = "X-Upstream-Answers";

    [Fact]
    public async Task The_second_get_is_a_hit_with_age_and_the_upstream_is_not_asked_again()
    {
        using var first = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        using var second = await Client.GetAsync(new Uri(Products, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(first.Headers.Age);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(AnswerCount(first), AnswerCount(second));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(1, CacheResult(metrics, "miss"));
        Assert.Equal(1, CacheResult(metrics, "hit"));
        Assert.Equal(1, metrics.Sum("gateway_upstream_duration_seconds_count", labels => labels["route"] == "products"));
        Assert.Equal(1, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "cache" && labels["code"] == "200"));
    }

    [Fact]
    public async Task A_matching_if_none_match_gets_304_from_the_gateway_not_the_upstream()
    {
        using var first = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Products);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var response = await Client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag);
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(1, CacheResult(metrics, "not_modified"));
        Assert.Equal(1, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "cache" && labels["code"] == "304"));
        Assert.Equal(0, metrics.Sum("gateway_responses_total", labels => labels["origin"] == "upstream" && labels["code"] == "304"));
        Assert.Equal(1, metrics.Sum("gateway_upstream_duration_seconds_count", labels => labels["route"] == "products"));
    }

    [Fact]
    public async Task A_public_answer_to_a_request_with_authorization_is_stored_and_answers_another_users_request()
    {
        using var bobs = await SendAsync(Products, "bob");
        using var alices = await SendAsync(Products, "alice");
        using var anonymous = await Client.GetAsync(new Uri(Products, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, alices.StatusCode);
        Assert.Contains("public", bobs.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        // RFC 9111 §3.5: public lets a shared cache reuse it for any request, so alice gets what was stored for bob.
        Assert.Equal(AnswerCount(bobs), AnswerCount(alices));
        Assert.NotNull(alices.Headers.Age);
        // Requests without a token keep entries of their own (see SharedCachePolicy): the upstream is asked again.
        Assert.Equal(AnswerCount(bobs) + 1, AnswerCount(anonymous));
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(2, CacheResult(metrics, "miss"));
        Assert.Equal(1, CacheResult(metrics, "hit"));
        Assert.Equal(0, CacheResult(metrics, "bypass"));
    }

    [Fact]
    public async Task Without_public_an_answer_to_a_request_with_authorization_is_not_stored_but_one_without_is()
    {
        const string path = $"{Products}?cache=max-age";
        using var first = await SendAsync(path, "bob");
        using var second = await SendAsync(path, "bob");

        Assert.Equal("max-age=30", first.Headers.CacheControl?.ToString());
        Assert.Equal(AnswerCount(first) + 1, AnswerCount(second));
        Assert.Null(second.Headers.Age);

        // The same answer to requests without Authorization: max-age alone lets a shared cache keep it.
        using var anonymous = await Client.GetAsync(new Uri(path, UriKind.Relative));
        using var hit = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(AnswerCount(anonymous), AnswerCount(hit));
        Assert.NotNull(hit.Headers.Age);
    }

    [Fact]
    public async Task A_request_cache_control_no_cache_bypasses_the_cache()
    {
        using var stored = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, Products);
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        using var response = await Client.SendAsync(request);

        Assert.Equal(AnswerCount(stored) + 1, AnswerCount(response));
        Assert.Equal("gateway; fwd=request", response.Headers.GetValues("Cache-Status").Single()); // RFC 9211: forwarded for the request's sake
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(1, CacheResult(metrics, "bypass"));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("no-store")]
    public async Task An_answer_a_shared_cache_must_not_keep_is_not_stored(string cache)
    {
        var path = $"{Products}?cache={cache}";
        using var first = await Client.GetAsync(new Uri(path, UriKind.Relative));
        using var second = await Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Contains(cache, first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(AnswerCount(first) + 1, AnswerCount(second));
        Assert.Null(second.Headers.Age);
        var (_, metrics) = await MetricsScrape.ReadAsync(Gateway);
        Assert.Equal(2, CacheResult(metrics, "miss"));
        Assert.Equal(0, CacheResult(metrics, "hit"));
    }

    [Fact]
    public async Task A_head_answer_is_kept_apart_and_never_answers_a_get_with_an_empty_body()
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Products));
        using var get = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        using var headAgain = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Products));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        var body = await get.Content.ReadAsByteArrayAsync();
        Assert.NotEmpty(body);
        Assert.Equal(body.Length, get.Content.Headers.ContentLength);
        Assert.Equal(AnswerCount(head) + 1, AnswerCount(get)); // the GET was not answered from the HEAD's entry
        Assert.Null(get.Headers.Age);
        Assert.Equal(AnswerCount(head), AnswerCount(headAgain)); // the HEAD's own entry answers the next HEAD
        Assert.NotNull(headAgain.Headers.Age);
        Assert.Empty(await headAgain.Content.ReadAsByteArrayAsync());
        // RFC 9110 §8.6: a HEAD answer may leave Content-Length out (the cache does), but never state another length.
        if (headAgain.Content.Headers.TryGetValues("Content-Length", out var length))
        {
            Assert.Equal($"{body.Length}", length.Single());
        }
    }

    [Fact]
    public async Task The_query_is_part_of_the_key()
    {
        using var first = await Client.GetAsync(new Uri($"{Products}?page=1", UriKind.Relative));
        using var other = await Client.GetAsync(new Uri($"{Products}?page=2", UriKind.Relative));

        Assert.Equal(AnswerCount(first) + 1, AnswerCount(other));
    }

    [Fact]
    public async Task An_edit_of_the_route_drops_its_entries()
    {
        using var stored = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        using (var hit = await Client.GetAsync(new Uri(Products, UriKind.Relative)))
        {
            Assert.Equal(AnswerCount(stored), AnswerCount(hit));
        }

        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["products"]!["Order"] = -1); // Still the route that answers (users-api is Order 0).

        await Eventually.HoldsAsync(async () =>
        {
            using var response = await Client.GetAsync(new Uri(Products, UriKind.Relative));
            return AnswerCount(response) > AnswerCount(stored) && response.Headers.Age is null;
        }, "a GET after the edit reaches the upstream");
    }

    [Fact]
    public async Task An_edit_of_another_route_keeps_the_entries()
    {
        using var stored = await Client.GetAsync(new Uri(Products, UriKind.Relative));

        await Gateway.EditConfigAsync(Config, json => json["ReverseProxy"]!["Routes"]!["search"]!["Order"] = -1);

        using var hit = await Client.GetAsync(new Uri(Products, UriKind.Relative));
        Assert.Equal(AnswerCount(stored), AnswerCount(hit));
        Assert.NotNull(hit.Headers.Age);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        Tokens.Bearer(request, Tokens.Create(user, "user", DateTime.UtcNow, DateTime.UtcNow.AddHours(1)));
        return await Client.SendAsync(request);
    }

    private static long AnswerCount(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues(Answers).Single(), System.Globalization.CultureInfo.InvariantCulture);

    private static double CacheResult(IEnumerable<MetricSample> metrics, string result) =>
        metrics.Sum("gateway_cache_requests_total", labels => labels["route"] == "products" && labels["result"] == result);
}
