using System.Net;
using Gateway.Clients;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.Admin;

/// <summary>
/// Reading needs any key; anything else needs a Full key. A client address that sent too many wrong keys is refused
/// (429) before its key is looked at; a request without a key is not a guess and is not counted.
/// </summary>
internal sealed class AdminKeyFilter(AdminKeys keys, FailedKeyLimiter failures, ClientAddress clients) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var client = clients.Resolve(http) ?? IPAddress.None;
        if (failures.Blocked(client) is { } blocked)
        {
            return TooManyWrongKeys(blocked);
        }

        var presented = http.Request.Headers[AdminKeys.Header].ToString();
        var (access, name) = keys.Identify(presented);
        var reading = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (access == AdminAccess.None)
        {
            if (presented.Length > 0 && failures.Failed(client) is { } nowBlocked)
            {
                return TooManyWrongKeys(nowBlocked);
            }

            http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{AdminKeys.Header}\", realm=\"gateway-admin\"";
            return GatewayAnswers.Result(new(StatusCodes.Status401Unauthorized, GatewayOrigin.Auth, $"The admin API needs a key in the {AdminKeys.Header} header."));
        }

        if (!reading && access != AdminAccess.Full)
        {
            return GatewayAnswers.Result(new(StatusCodes.Status403Forbidden, GatewayOrigin.Auth, "This key may read but not change anything."));
        }

        http.Features.Set(new AdminCaller(name!));
        return await next(context);
    }

    private static IResult TooManyWrongKeys(TimeSpan wait) =>
        GatewayAnswers.Result(new(StatusCodes.Status429TooManyRequests, GatewayOrigin.Admin,
            "Too many wrong admin keys from this address: the admin API refuses its requests, whatever the key, until Retry-After has passed.", wait));
}
