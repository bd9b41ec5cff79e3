namespace Gateway.IntegrationTests.Infrastructure;

public static class HttpStatus
{
    /// <summary>GET <paramref name="path"/> (relative to the client's base address) and return only the status code.</summary>
    public static async Task<int> StatusAsync(this HttpClient client, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }
}
