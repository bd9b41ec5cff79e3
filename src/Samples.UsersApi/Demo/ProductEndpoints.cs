using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Samples.UsersApi.Demo;

/// <summary>
/// The product catalog, cacheable: <c>Cache-Control: public, max-age=30</c> and an ETag, so a shared cache (the
/// gateway's, on a route with OutputCachePolicy shared) may keep it, also for a request with Authorization.
/// <c>?cache=private</c> or <c>?cache=no-store</c> send those directives instead, <c>?cache=max-age</c> the lifetime
/// without <c>public</c>. X-Upstream-Answers counts the answers this instance has made, so a client can
/// tell a stored copy (the count does not move) from a fresh one.
/// </summary>
internal static class ProductEndpoints
{
    public const string AnswersHeader = "X-Upstream-Answers";

    private static readonly byte[] Body = JsonSerializer.SerializeToUtf8Bytes(Product.Catalog, JsonSerializerOptions.Web);
    private static readonly EntityTagHeaderValue ETag = new($"\"{Convert.ToHexStringLower(SHA256.HashData(Body))[..16]}\"");
    private static long _answers;

    public static void MapProductEndpoints(this WebApplication app) =>
        app.MapGet("/api/products", (HttpContext context, string? cache) =>
        {
            var response = context.Response;
            response.Headers[AnswersHeader] = Interlocked.Increment(ref _answers).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers.CacheControl = cache switch
            {
                "private" => "private, max-age=30",
                "no-store" => "no-store",
                "max-age" => "max-age=30", // Storable by a shared cache, but not for a request with Authorization (no public).
                _ => "public, max-age=30",
            };
            response.GetTypedHeaders().ETag = ETag;
            var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
            return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ETag, useStrongComparison: false))
                ? Results.StatusCode(StatusCodes.Status304NotModified)
                : Results.Bytes(Body, "application/json; charset=utf-8");
        });
}
