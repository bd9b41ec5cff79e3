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
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Routing.MatcherPolicy, ListenerMatcherPolicy>();
        builder.Services.AddSingleton<Configuration.IConfigCheck>(new Configuration.SectionCheck<GatewayOptions>(GatewayOptions.SectionName));
        return listeners;
    }
}
