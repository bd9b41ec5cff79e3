using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>A certificate for 127.0.0.1 written as PEM files in a temp folder (the gateway's <c>Gateway:Tls</c> files).</summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-tls-").FullName;

    public string CertificateFile => Path.Combine(_directory, "gateway.crt");

    public string KeyFile => Path.Combine(_directory, "gateway.key");

    /// <summary>Writes a new certificate (its own key) over the files; returns its thumbprint.</summary>
    public string Write(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        return certificate.Thumbprint;
    }

    public string[] Args => [$"--Gateway:Tls:CertificateFile={CertificateFile}", $"--Gateway:Tls:KeyFile={KeyFile}"];

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
