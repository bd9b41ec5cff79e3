using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Clients;

public static class ClientsExtensions
{
    public static IServiceCollection AddGatewayClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ClientAddress>();
        services.AddSingleton<IConfigCheck, TrustedProxyCheck>();
        return services;
    }

    private sealed class TrustedProxyCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var entries = candidate.GetSection("Gateway:TrustedProxies").GetChildren();
            foreach (var entry in entries.Where(entry => ClientAddress.Invalid([entry.Value ?? ""]).Any()))
            {
                errors.Add($"{entry.Path}: '{entry.Value}' is not an IP address or CIDR network");
            }
        }
    }
}
