using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Health;

namespace Gateway.Forwarding;

internal sealed class PassiveHealthOptionsCheck : IConfigCheck
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        var section = candidate.GetSection(ForwardingExtensions.PassiveHealthSectionName);
        if (SectionBinder.Bind<TransportFailureRateHealthPolicyOptions>(section, errors, section.Path) is not { } settings)
        {
            return;
        }

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
