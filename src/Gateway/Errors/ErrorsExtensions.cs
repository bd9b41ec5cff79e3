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
        services.AddSingleton<StatusContext>();
        return services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = problem => GatewayProblems.AddTraceId(problem.HttpContext, problem.ProblemDetails));
    }

    /// <summary>An unhandled exception becomes a generic 500 problem; the log keeps the details.</summary>
    public static IApplicationBuilder UseGatewayErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => GatewayProblems.WriteAsync(
                context, StatusCodes.Status500InternalServerError, GatewayOrigin.Gateway, "The gateway failed to handle this request."),
        });

    /// <summary>404 problem for public requests that match no route (YARP alone answers an empty 404).</summary>
    public static IEndpointRouteBuilder MapNoRoute(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFallback("{*path}", context => GatewayProblems.WriteAsync(
            context, StatusCodes.Status404NotFound, GatewayOrigin.NoRoute, "No route of this gateway matches this request."))
            .WithMetadata(ListenerMetadata.Public);
        return endpoints;
    }
}
