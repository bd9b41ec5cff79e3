using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting;

public static class DemoModeExtensions
{
    /// <summary>Demo mode says so: a warning at start and the <c>demo</c> entry of <c>/healthz</c>.</summary>
    public static IServiceCollection AddGatewayDemoMode(this IServiceCollection services)
    {
        services.AddHostedService<DemoModeNotice>();
        services.AddHealthChecks().AddCheck<DemoModeHealthCheck>("demo");
        return services;
    }
}
