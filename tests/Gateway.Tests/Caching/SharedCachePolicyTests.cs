using Gateway.Caching;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Caching;

public sealed class SharedCachePolicyTests
{
    [Theory]
    [InlineData("public, max-age=30", null, null, 30)]
    [InlineData("max-age=30, s-maxage=5", null, null, 5)] // s-maxage is for shared caches and wins.
    [InlineData("public, max-age=30", "Accept-Encoding", null, 30)]
    [InlineData("public, max-age=30", null, "10", 20)] // Ten seconds already spent in a cache further up.
    public void A_cacheable_answer_is_kept_for_its_shared_lifetime(string cacheControl, string? vary, string? age, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SharedCachePolicy.StorableFor(Response(200, cacheControl, vary, age)));

    [Theory]
    [InlineData(200, "public")] // No lifetime.
    [InlineData(200, "private, max-age=30")]
    [InlineData(200, "no-store, max-age=30")]
    [InlineData(200, "no-cache, max-age=30")]
    [InlineData(200, "max-age=0")]
    [InlineData(404, "public, max-age=30")]
    [InlineData(206, "public, max-age=30")]
    public void An_answer_a_shared_cache_must_not_keep_is_refused(int status, string cacheControl) =>
        Assert.Null(SharedCachePolicy.StorableFor(Response(status, cacheControl, null, null)));

    [Theory]
    [InlineData("Accept-Language")]
    [InlineData("Accept-Encoding, Cookie")]
    [InlineData("*")]
    public void An_answer_that_varies_by_more_than_encoding_is_refused(string vary) =>
        Assert.Null(SharedCachePolicy.StorableFor(Response(200, "public, max-age=30", vary, null)));

    [Theory]
    [InlineData("public, max-age=30", 30)]
    [InlineData("s-maxage=20", 20)]
    [InlineData("must-revalidate, max-age=10", 10)]
    public void An_answer_to_a_request_with_authorization_is_kept_when_it_says_it_may_be_shared(string cacheControl, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SharedCachePolicy.StorableFor(Response(200, cacheControl, null, null), requestHadAuthorization: true));

    [Theory]
    [InlineData("max-age=30")]
    [InlineData("public, private, max-age=30")]
    public void An_answer_to_a_request_with_authorization_is_refused_without_public_s_maxage_or_must_revalidate(string cacheControl) =>
        Assert.Null(SharedCachePolicy.StorableFor(Response(200, cacheControl, null, null), requestHadAuthorization: true));

    [Fact]
    public void An_answer_that_sets_a_cookie_is_refused()
    {
        var response = Response(200, "public, max-age=30", null, null);
        response.Headers.SetCookie = "session=1";
        Assert.Null(SharedCachePolicy.StorableFor(response));
    }

    private static HttpResponse Response(int status, string cacheControl, string? vary, string? age)
    {
        var response = new DefaultHttpContext().Response;
        response.StatusCode = status;
        response.Headers.CacheControl = cacheControl;
        if (vary is not null)
        {
            response.Headers.Vary = vary;
        }

        if (age is not null)
        {
            response.Headers.Age = age;
        }

        return response;
    }
}
