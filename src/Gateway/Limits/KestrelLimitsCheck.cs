using System.Globalization;
using Gateway.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Gateway.Limits;

internal sealed class KestrelLimitsCheck : IConfigCheck
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var section = candidate.GetSection(LimitsExtensions.SectionName);
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
