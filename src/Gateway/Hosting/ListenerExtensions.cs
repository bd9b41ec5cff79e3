using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Hosting;

public static class ListenerExtensions
{
    public static GatewayListeners AddGatewayListeners(this WebApplicationBuilder builder)
    {
        var listeners = new GatewayListeners(builder.Configuration);
        builder.WebHost.ConfigureKestrel(listeners.Configure);
        builder.Services.AddSingleton(listeners);
        builder.Services.AddSingleton(listeners.Certificate);
        if (listeners.UsesTls)
        {
            builder.Services.AddHostedService<ServerCertificateWatcher>();
            builder.Services.AddHealthChecks().AddCheck<ServerCertificateHealthCheck>("tls");
        }

        builder.Services.AddGatewaySection<GatewayOptions>(GatewayOptions.SectionName, options => options.Problems());
        builder.Services.AddSingleton<Microsoft.AspNetCore.Routing.MatcherPolicy, ListenerMatcherPolicy>();
        return listeners;
    }
}
