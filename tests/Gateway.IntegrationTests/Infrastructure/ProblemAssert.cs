using System.Text.Json;

namespace Gateway.IntegrationTests.Infrastructure;

internal static class ProblemAssert
{
    /// <summary>A gateway-made problem: RFC 9457 media type, status, title, traceId, origin, and nothing internal.</summary>
    public static async Task<JsonElement> IsGatewayProblemAsync(HttpResponseMessage response, int status, string origin)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        NoInternals(text);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("traceId").GetString()));
        Assert.Equal(origin, problem.GetProperty("origin").GetString());
        return problem;
    }

    /// <summary>No stack trace, exception type or internal address may reach a client.</summary>
    public static void NoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", body, StringComparison.OrdinalIgnoreCase);
    }
}
