using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Health;

namespace Gateway.Forwarding;

internal sealed class PassiveHealthOptionsCheck() : OptionsCheck<TransportFailureRateHealthPolicyOptions>(ForwardingExtensions.PassiveHealthSectionName)
{
    protected override void Check(TransportFailureRateHealthPolicyOptions settings, IConfigurationSection section, IConfiguration candidate, ICollection<string> errors)
    {
        if (settings.DetectionWindowSize <= TimeSpan.Zero)
        {
            errors.Add($"{section.Path}:DetectionWindowSize: '{settings.DetectionWindowSize}' must be more than 0");
        }

        if (settings.MinimalTotalCountThreshold < 0)
        {
            errors.Add($"{section.Path}:MinimalTotalCountThreshold: {settings.MinimalTotalCountThreshold} must be 0 or more");
        }

        if (settings.DefaultFailureRateLimit is <= 0 or > 1)
        {
            errors.Add($"{section.Path}:DefaultFailureRateLimit: {settings.DefaultFailureRateLimit} must be more than 0 and at most 1");
        }
    }
}
