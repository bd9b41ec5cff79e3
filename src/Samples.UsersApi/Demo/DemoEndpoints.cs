using System.Collections.Frozen;
using System.Text;

namespace Samples.UsersApi.Demo;

/// <summary>Stateless examples: search, ranged downloads, redirects, a deliberate server error and a flaky replica.</summary>
internal static class DemoEndpoints
{
    public const int ReportLength = 1000;

    // 20 lines of exactly 50 bytes, so byte offsets in Range examples are easy to predict.
    private static readonly FrozenDictionary<string, ReadOnlyMemory<byte>> Files = new Dictionary<string, ReadOnlyMemory<byte>>
    {
        ["report.txt"] = Encoding.ASCII.GetBytes(string.Concat(
            Enumerable.Range(1, ReportLength / 50).Select(line => $"Line {line:00}: sample report text for HTTP Range tests.\n"))),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static void MapDemoEndpoints(this WebApplication app)
    {
        app.MapGet("/api/search", (string? q) =>
            string.IsNullOrWhiteSpace(q)
                ? Results.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["A search query is required, e.g. ?q=phones."] })
                : Results.Ok(new SearchResponse(q, [.. Product.Catalog.Where(product => product.Matches(q))])));

        // Range processing yields 206 + Content-Range for valid ranges and 416 for unsatisfiable ones.
        app.MapGet("/api/files/{name}", (string name) =>
            Files.TryGetValue(name, out var content)
                ? Results.Bytes(content, "text/plain; charset=utf-8", enableRangeProcessing: true)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "File not found"));

        app.MapGet("/old-url", () => Results.Redirect("/new-url", permanent: true));
        app.MapGet("/new-url", () => Results.Text("This is the new URL; /old-url moved here permanently."));
        app.MapPost("/api/logout", () => Results.Redirect("/login"));
        app.MapGet("/login", () => Results.Text("Login page placeholder: POST /api/login with {\"username\",\"password\"}."));

        app.MapGet("/api/crash", string () =>
            throw new InvalidOperationException("Deliberate failure to demonstrate a 500 response."));

        // A flaky replica: the instance named by ?replica= (its --Replica, default users-1) resets this share of the
        // connections before any answer; any other instance answers. Through the gateway, retries and passive health
        // checks hide it from clients.
        var self = app.Configuration["Replica"] is { Length: > 0 } name ? name : "users-1";
        app.MapGet("/api/flaky", (HttpContext context, string replica = "users-1", int percent = 100) =>
        {
            if (percent is < 0 or > 100)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["percent"] = ["percent must be 0 to 100."] });
            }

            if (string.Equals(replica, self, StringComparison.OrdinalIgnoreCase) && Random.Shared.Next(100) < percent)
            {
                context.Abort();
                return Results.Empty;
            }

            return Results.Ok(new { answeredBy = self, flakyReplica = replica, percent });
        });
    }
}
