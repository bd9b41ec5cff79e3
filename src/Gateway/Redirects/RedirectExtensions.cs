using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Redirects;

public static class RedirectExtensions
{
    public static IServiceCollection AddGatewayRedirects(this IServiceCollection services)
    {
        services.AddOptions<RedirectOptions>().BindConfiguration(RedirectOptions.SectionName);
        services.AddSingleton<RedirectRules>();
        services.AddSingleton<IConfigCheck, RedirectCheck>();
        return services;
    }

    /// <summary>Before routing: a rule answers before any route is chosen.</summary>
    public static IApplicationBuilder UseGatewayRedirects(this IApplicationBuilder app) => app.UseMiddleware<RedirectMiddleware>();

    private sealed class RedirectCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(RedirectOptions.SectionName);
            if (SectionBinder.Bind<RedirectOptions>(section, errors, section.Path) is not { } settings)
            {
                return;
            }

            foreach (var (name, rule) in settings.Rules)
            {
                foreach (var problem in RedirectRule.Problems(rule))
                {
                    errors.Add($"{section.Path}:Rules:{name}:{problem}");
                }
            }
        }
    }
}
