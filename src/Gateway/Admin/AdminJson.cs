using System.Text.Json;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.Admin;

/// <summary>Reads an admin request body strictly: bounded, valid JSON, the field at fault named.</summary>
public static class AdminJson
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Internal for the tests that produce System.Text.Json's messages with exactly these options.</summary>
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, $"The body is over {MaxBodyBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, Problem(StatusCodes.Status413PayloadTooLarge, $"The body is over {MaxBodyBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.ToArray(), Options);
            return value is null ? (null, Problem(StatusCodes.Status400BadRequest, "The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex) when (FrameworkMessages.UnmappedJsonProperty(ex) is { } field)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, $"Unknown field '{field}'."));
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "the body" : $"field '{ex.Path.TrimStart('$', '.')}'";
            return (null, Problem(StatusCodes.Status400BadRequest, $"The JSON in {where} is not valid or has the wrong type."));
        }
    }

    public static IResult Problem(int status, string detail) => GatewayAnswers.Result(new(status, GatewayOrigin.Gateway, detail));
}
