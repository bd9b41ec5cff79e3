using Gateway.Errors.StatusGuide;
using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Errors;

public static class ErrorsExtensions
{
    public static IServiceCollection AddGatewayErrors(this IServiceCollection services)
    {
        services.AddSingleton<StatusGuideBook>();
        services.AddSingleton<StatusFacts>();
        return services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = problem => GatewayProblems.AddTraceId(problem.HttpContext, problem.ProblemDetails));
    }

    /// <summary>An unhandled exception becomes a generic 500 problem; the log keeps the details.</summary>
    public static IApplicationBuilder UseGatewayExceptionHandler(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => GatewayProblems.WriteAsync(
                context, StatusCodes.Status500InternalServerError, GatewayOrigin.Gateway, "The gateway failed to handle this request."),
        });

    /// <summary>
    /// 404 problem for public requests that match no route (YARP alone answers an empty 404), or 405 with Allow when
    /// routes match the path but not the method (this catch-all keeps routing from finding that 405 itself).
    /// </summary>
    public static IEndpointRouteBuilder MapNoRoute(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFallback("{*path}", WriteNoRouteAsync).WithMetadata(ListenerMetadata.Public);
        return endpoints;
    }

    private static Task WriteNoRouteAsync(HttpContext context) =>
        AllowedMethods.TrySetMethodNotAllowed(context, GatewayListener.Public)
            ? GatewayProblems.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, GatewayOrigin.NoRoute,
                $"No route of this gateway takes {context.Request.Method} at this path; see Allow.")
            : GatewayProblems.WriteAsync(context, StatusCodes.Status404NotFound, GatewayOrigin.NoRoute, "No route of this gateway matches this request.");
}
