using System.Globalization;
using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Limits;

/// <summary>
/// Protocol limits from the <c>Kestrel:Limits</c> section. Kestrel answers 408 (slow headers) and 431
/// (headers too large) itself, before any middleware, with an empty body; 413 is ours, per route.
/// </summary>
public static class LimitsExtensions
{
    public const string SectionName = "Kestrel:Limits";

    /// <summary>A plain WebApplication binds only endpoints from <c>Kestrel</c>; the limits are bound here. They apply at start.</summary>
    public static IServiceCollection AddGatewayLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<KestrelServerOptions>(options => configuration.GetSection(SectionName).Bind(options.Limits));
        services.AddSingleton<IConfigCheck, LimitsCheck>();
        return services;
    }

    /// <summary>In the proxy pipeline: 413 for a declared body over the route's limit (<see cref="RequestBodyLimitMiddleware"/>).</summary>
    public static IReverseProxyApplicationBuilder UseRequestBodyLimit(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<RequestBodyLimitMiddleware>();
        return proxy;
    }

    /// <summary>Before routing: 400 for a control character in the request target or a header value (<see cref="RequestTargetMiddleware"/>).</summary>
    public static IApplicationBuilder UseRequestTargetCheck(this IApplicationBuilder app) => app.UseMiddleware<RequestTargetMiddleware>();

    private sealed class LimitsCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(SectionName);
            // Kestrel's setters throw on these; say which key (a throw here would reject the edit without naming it).
            var before = errors.Count;
            Require(section, "KeepAliveTimeout", value => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero, "a positive time span (00:00:30)", errors);
            Require(section, "MaxConcurrentConnections", value => long.TryParse(value, CultureInfo.InvariantCulture, out var max) && max > 0, "a positive number of connections", errors);
            Require(section, "MaxConcurrentUpgradedConnections", value => long.TryParse(value, CultureInfo.InvariantCulture, out var max) && max >= 0, "a number of connections, 0 or more", errors);
            if (errors.Count > before)
            {
                return;
            }

            try
            {
                section.Bind(new KestrelServerLimits(), options => options.ErrorOnUnknownConfiguration = true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Reflection.TargetInvocationException or ArgumentException)
            {
                var cause = ex.InnerException is null ? "" : $" ({ex.InnerException.Message})";
                errors.Add($"{section.Path}: {ex.Message}{cause}");
            }
        }

        private static void Require(IConfigurationSection section, string key, Func<string, bool> valid, string what, ICollection<string> errors)
        {
            if (section[key] is { Length: > 0 } value && !valid(value))
            {
                errors.Add($"{section.Path}:{key}: '{value}' is not {what}");
            }
        }
    }
}
