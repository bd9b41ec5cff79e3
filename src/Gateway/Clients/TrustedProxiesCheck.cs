using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Clients;

internal sealed class TrustedProxiesCheck : IConfigCheck
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
