using Gateway.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Clients;

public static class ClientsExtensions
{
    public static IServiceCollection AddGatewayClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<ClientAddress>();
        services.AddSingleton<IConfigCheck, TrustedProxiesCheck>(); // Gateway:TrustedProxies, a list of Hosting's section that Clients reads
        services.AddGatewaySection<ClientsOptions>(ClientsOptions.SectionName, ApiKeys.Problems);

        // A route opts in with "AuthorizationPolicy": "api-key"; YARP refuses a route naming a policy that does not exist.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeys.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeys.Policy, policy => policy.AddAuthenticationSchemes(ApiKeys.Scheme).RequireAuthenticatedUser());
        return services;
    }
}
