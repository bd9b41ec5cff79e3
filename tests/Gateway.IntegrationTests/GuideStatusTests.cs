using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests;

/// <summary>The guide's examples, each reached through the gateway's public port with the headers RFC 9110 asks for.</summary>
public sealed class GuideStatusTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = fixture.Gateway.Public;

    [Fact]
    public async Task Get_user_is_200_with_etag_and_matching_if_none_match_is_304_without_body()
    {
        using var first = await _client.GetAsync(new Uri("/api/users/1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var user = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, user.GetProperty("id").GetInt32());
        Assert.True(user.TryGetProperty("name", out _));
        Assert.True(user.TryGetProperty("email", out _));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Create_user_is_201_with_location_then_same_email_is_409()
    {
        var email = $"carol-{Guid.NewGuid():N}@example.com";
        using var created = await _client.PostAsJsonAsync("/api/users", new { name = "Carol", email });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal($"/api/users/{id}", created.Headers.Location?.OriginalString);

        using var fetched = await _client.GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);

        using var duplicate = await _client.PostAsJsonAsync("/api/users", new { name = "Carol again", email });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Invalid_user_is_400_problem_naming_the_fields()
    {
        using var response = await _client.PostAsJsonAsync("/api/users", new { name = "", email = "not-an-email" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(field => field.Name.ToUpperInvariant()).ToList();
        Assert.Contains("NAME", fields);
        Assert.Contains("EMAIL", fields);
    }

    [Fact]
    public async Task Put_is_204_delete_is_204_without_body_then_get_is_410_and_unknown_id_is_404()
    {
        using var created = await _client.PostAsJsonAsync("/api/users", new { name = "Dave", email = $"dave-{Guid.NewGuid():N}@example.com" });
        var location = created.Headers.Location!;

        using var updated = await _client.PutAsJsonAsync(location, new { name = "David", email = $"david-{Guid.NewGuid():N}@example.com" });
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);

        using var deleted = await _client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());

        using var gone = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);

        using var missing = await _client.GetAsync(new Uri("/api/users/987654", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(problem.TryGetProperty("origin", out _), "an upstream's own 404 must pass through unchanged");
    }

    [Fact]
    public async Task Login_gives_a_token_that_opens_the_profile_and_delete_login_is_405_with_allow()
    {
        using var login = await _client.PostAsJsonAsync("/api/login", new { username = "alice", password = "alice" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();

        using var anonymous = await _client.GetAsync(new Uri("/api/profile", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Bearer");

        using var profileRequest = new HttpRequestMessage(HttpMethod.Get, "/api/profile");
        profileRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var profile = await _client.SendAsync(profileRequest);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);

        using var wrongMethod = await _client.DeleteAsync(new Uri("/api/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("POST", wrongMethod.Content.Headers.Allow);
    }

    [Fact]
    public async Task Admin_delete_is_403_for_a_plain_user_and_204_for_an_admin()
    {
        using var created = await _client.PostAsJsonAsync("/api/users", new { name = "Eve", email = $"eve-{Guid.NewGuid():N}@example.com" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        using var asBob = new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/users/{id}");
        asBob.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("bob"));
        using var forbidden = await _client.SendAsync(asBob);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var asAlice = new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/users/{id}");
        asAlice.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("alice"));
        using var done = await _client.SendAsync(asAlice);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
    }

    [Fact]
    public async Task Booking_with_checkout_before_checkin_is_422_and_valid_is_201()
    {
        using var invalid = await _client.PostAsJsonAsync("/api/bookings", new { checkIn = "2026-12-10", checkOut = "2026-12-01" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);

        using var valid = await _client.PostAsJsonAsync("/api/bookings", new { checkIn = "2026-12-01", checkOut = "2026-12-10" });
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
        Assert.NotNull(valid.Headers.Location);
    }

    [Fact]
    public async Task Search_is_200_with_results()
    {
        using var response = await _client.GetAsync(new Uri("/api/search?q=phones", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("results").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Job_is_202_with_location_of_a_status_resource()
    {
        using var accepted = await _client.PostAsync(new Uri("/api/jobs", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location;
        Assert.NotNull(location);

        using var status = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var state = (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString();
        Assert.True(state is "queued" or "done", $"unexpected job state {state}");
    }

    [Fact]
    public async Task Range_request_is_206_with_content_range_and_accept_ranges()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/files/report.txt");
        request.Headers.Range = new RangeHeaderValue(0, 99);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentRange?.From);
        Assert.Equal(99, response.Content.Headers.ContentRange?.To);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Old_url_is_301_and_logout_is_302_with_locations()
    {
        using var moved = await _client.GetAsync(new Uri("/old-url", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal("/new-url", moved.Headers.Location?.OriginalString);

        using var newPage = await _client.GetAsync(moved.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, newPage.StatusCode);

        using var logout = await _client.PostAsync(new Uri("/api/logout", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Equal("/login", logout.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Crash_is_the_upstreams_own_500_problem_without_internals()
    {
        using var response = await _client.GetAsync(new Uri("/api/crash", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        ProblemAssert.NoInternals(text);
        Assert.False(JsonDocument.Parse(text).RootElement.TryGetProperty("origin", out _));
    }

    private async Task<string> TokenAsync(string user)
    {
        using var login = await _client.PostAsJsonAsync("/api/login", new { username = user, password = user });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
