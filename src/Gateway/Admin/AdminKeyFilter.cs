using Gateway.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.Admin;

/// <summary>Reading needs any key; anything else needs an admin key.</summary>
internal sealed class AdminKeyFilter(AdminKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (access, name) = keys.Identify(http.Request.Headers[AdminKeys.Header]);
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

        http.Features.Set(new AdminCaller(name!));
        return await next(context);
    }
}
