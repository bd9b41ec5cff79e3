using System.Security.Cryptography;
using System.Text;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Admin;

/// <summary>The <c>Admin</c> section. The demo keys in the root config must be replaced for real use.</summary>
public sealed class AdminSettings
{
    public const string SectionName = "Admin";

    /// <summary>May read and change.</summary>
    public List<string> AdminKeys { get; init; } = [];

    /// <summary>May only read.</summary>
    public List<string> ReadOnlyKeys { get; init; } = [];
}

internal enum AdminAccess
{
    None,
    ReadOnly,
    Full,
}

/// <summary>Checks <c>X-Admin-Key</c>. Keys are compared as SHA-256 digests in constant time, every key every time.</summary>
internal sealed class AdminKeys(IOptionsMonitor<AdminSettings> settings)
{
    public const string Header = "X-Admin-Key";

    public AdminAccess Check(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return AdminAccess.None;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var current = settings.CurrentValue;
        var full = Matches(digest, current.AdminKeys);
        var readOnly = Matches(digest, current.ReadOnlyKeys);
        return full ? AdminAccess.Full : readOnly ? AdminAccess.ReadOnly : AdminAccess.None;
    }

    private static bool Matches(byte[] digest, List<string> keys)
    {
        var found = false;
        foreach (var key in keys)
        {
            found |= CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return found;
    }
}

/// <summary>Reading needs any key; anything else needs an admin key.</summary>
internal sealed class AdminKeyFilter(AdminKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = keys.Check(http.Request.Headers[AdminKeys.Header]);
        var reading = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (access == AdminAccess.None)
        {
            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{AdminKeys.Header}\", realm=\"gateway-admin\"";
            return GatewayProblems.Result(StatusCodes.Status401Unauthorized, GatewayOrigin.Auth, $"The admin API needs a key in the {AdminKeys.Header} header.");
        }

        if (!reading && access != AdminAccess.Full)
        {
            return GatewayProblems.Result(StatusCodes.Status403Forbidden, GatewayOrigin.Auth, "This key may read but not change anything.");
        }

        return await next(context);
    }
}
