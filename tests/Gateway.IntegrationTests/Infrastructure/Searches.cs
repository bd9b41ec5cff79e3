namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>GET /api/search (the root config's route with the "search" rate-limit policy) as a given client.</summary>
internal static class Searches
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient gateway, string? apiKey = null, string? forwardedFor = null, string? token = null, string? realIp = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/search?q=phones");
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (realIp is not null)
        {
            request.Headers.Add("X-Real-IP", realIp);
        }

        if (token is not null)
        {
            Tokens.Bearer(request, token);
        }

        return await gateway.SendAsync(request);
    }
}
