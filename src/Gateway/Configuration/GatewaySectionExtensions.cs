using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Configuration;

/// <summary>
/// The one way a feature declares a config section: its options type, bound from the section, its check, and its name
/// in <see cref="ConfigSections"/> (the rejected-edit metric's label), so none of them can be forgotten.
/// </summary>
public static class GatewaySectionExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> strictly: the binder's errors, then <paramref name="problems"/> (key paths below the section).</summary>
    public static IServiceCollection AddGatewaySection<TOptions>(this IServiceCollection services, string name, Func<TOptions, IEnumerable<string>>? problems = null)
        where TOptions : class, new() =>
        services.AddGatewaySectionCheck<TOptions>(name, new SectionCheck<TOptions>(name, problems)).Bound<TOptions>(name);

    /// <summary>A section whose rules need more than its own values (other sections, services): <typeparamref name="TCheck"/> binds and checks it.</summary>
    public static IServiceCollection AddGatewaySection<TOptions, TCheck>(this IServiceCollection services, string name)
        where TOptions : class
        where TCheck : class, IConfigCheck =>
        services.AddGatewaySectionCheck<TOptions, TCheck>(name).Bound<TOptions>(name);

    /// <summary>A section checked and recorded but bound by its reader (a framework type, or read before the host is built).</summary>
    public static IServiceCollection AddGatewaySectionCheck<TOptions, TCheck>(this IServiceCollection services, string name)
        where TCheck : class, IConfigCheck
    {
        services.AddSingleton(new GatewaySection(name, typeof(TOptions)));
        services.AddSingleton<IConfigCheck, TCheck>();
        return services;
    }

    private static IServiceCollection AddGatewaySectionCheck<TOptions>(this IServiceCollection services, string name, IConfigCheck check)
    {
        services.AddSingleton(new GatewaySection(name, typeof(TOptions)));
        services.AddSingleton(check);
        return services;
    }

    private static IServiceCollection Bound<TOptions>(this IServiceCollection services, string name)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(name);
        return services;
    }
}
