using Gateway.Configuration;
using Gateway.Errors.StatusGuide;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Errors;

public static class ErrorsExtensions
{
    public static IServiceCollection AddGatewayErrors(this IServiceCollection services)
    {
        services.AddSingleton<StatusGuideBook>();
        services.AddSingleton<StatusFacts>();
        services.AddGatewaySection<ProxyStatusOptions>(ProxyStatusOptions.SectionName, options => options.Problems());
        services.AddSingleton<ProxyStatusMembers>();
        return services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = problem => GatewayAnswers.AddTraceId(problem.HttpContext, problem.ProblemDetails));
    }

    /// <summary>Just inside the metrics step: <c>Proxy-Status</c> on every public response (<see cref="ProxyStatusMiddleware"/>).</summary>
    public static IApplicationBuilder UseProxyStatus(this IApplicationBuilder app) => app.UseMiddleware<ProxyStatusMiddleware>();

    /// <summary>An unhandled exception becomes a generic 500 problem; the log keeps the details.</summary>
    public static IApplicationBuilder UseGatewayExceptionHandler(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => GatewayAnswers.WriteAsync(
                context, new(StatusCodes.Status500InternalServerError, GatewayOrigin.Gateway, "The gateway failed to handle this request.")),
        });
}
