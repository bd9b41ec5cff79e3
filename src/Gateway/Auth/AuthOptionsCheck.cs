using System.Text;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Auth;

internal sealed class AuthOptionsCheck : IConfigCheck
{
    public void Check(IConfiguration candidate, ICollection<string> errors)
    {
        if (SectionBinder.Bind<AuthOptions>(candidate.GetSection(AuthOptions.SectionName), errors, AuthOptions.SectionName) is null)
        {
            return;
        }

        const string path = $"{AuthOptions.SectionName}:{nameof(AuthOptions.SigningKey)}";
        var key = candidate[path] ?? "";
        if (Encoding.UTF8.GetByteCount(key) < 32)
        {
            errors.Add($"{path}: must be at least 32 bytes for HS256");
            return;
        }

        // Anyone with the repository's key can sign an admin token: outside demo mode it may not serve.
        DemoSecrets.Check(candidate, path, key, errors);
    }
}
