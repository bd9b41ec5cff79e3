using Gateway.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Clients;

public static class ClientsExtensions
{
    public static IServiceCollection AddGatewayClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClientsOptions>().BindConfiguration(ClientsOptions.SectionName);
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<ClientAddress>();
        services.AddSingleton<IConfigCheck, TrustedProxyCheck>();
        services.AddSingleton<IConfigCheck>(new SectionCheck<ClientsOptions>(ClientsOptions.SectionName, ApiKeys.Problems));

        // A route opts in with "AuthorizationPolicy": "api-key"; YARP refuses a route naming a policy that does not exist.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeys.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeys.Policy, policy => policy.AddAuthenticationSchemes(ApiKeys.Scheme).RequireAuthenticatedUser());
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
