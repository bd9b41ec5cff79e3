using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Hosting;

namespace Gateway.Tests.Hosting;

/// <summary>Gateway:Tls's files: what loads, and the key and reason of each file that cannot serve.</summary>
public sealed class CertificateFilesTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-certificate-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_pem_certificate_and_key_load_with_the_private_key()
    {
        var (certificate, key) = WritePem("a");

        var (loaded, problem) = CertificateFiles.Load(new GatewayTls { CertificateFile = certificate, KeyFile = key }, Now);

        Assert.Null(problem);
        Assert.True(loaded!.HasPrivateKey);
        Assert.Equal("CN=a", loaded.Subject);
    }

    [Fact]
    public void A_pem_file_holding_the_certificate_and_its_key_needs_no_key_file()
    {
        var (certificate, key) = WritePem("a");
        File.AppendAllText(certificate, "\n" + File.ReadAllText(key));

        var problem = CertificateFiles.Load(new GatewayTls { CertificateFile = certificate }, Now).Problem;
        Assert.True(problem is null, problem);
    }

    [Fact]
    public void A_pfx_loads_with_its_password_and_a_wrong_password_names_the_certificate_file()
    {
        using var created = Create("a", Now);
        var pfx = Path.Combine(_directory, "a.pfx");
        File.WriteAllBytes(pfx, created.Export(X509ContentType.Pkcs12, "secret"));

        Assert.Null(CertificateFiles.Load(new GatewayTls { CertificateFile = pfx, Password = "secret" }, Now).Problem);
        Assert.StartsWith("CertificateFile: ", CertificateFiles.Load(new GatewayTls { CertificateFile = pfx, Password = "wrong" }, Now).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_file_that_cannot_serve_names_its_key_and_why()
    {
        var (certificate, key) = WritePem("a");
        var (_, otherKey) = WritePem("b");
        var text = Path.Combine(_directory, "text.pem");
        File.WriteAllText(text, "not a certificate");
        using var expired = Create("old", Now.AddDays(-30), Now.AddDays(-1));
        var expiredFile = Path.Combine(_directory, "old.crt");
        File.WriteAllText(expiredFile, expired.ExportCertificatePem() + "\n");
        File.AppendAllText(expiredFile, expired.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var keyless = Path.Combine(_directory, "keyless.pfx");
        File.WriteAllBytes(keyless, X509CertificateLoader.LoadCertificate(expired.RawData).Export(X509ContentType.Pkcs12));

        string? Problem(GatewayTls tls) => CertificateFiles.Load(tls, Now).Problem;

        Assert.Equal($"CertificateFile: '{certificate}.missing' does not exist", Problem(new() { CertificateFile = certificate + ".missing", KeyFile = key }));
        Assert.Equal($"KeyFile: '{key}.missing' does not exist", Problem(new() { CertificateFile = certificate, KeyFile = key + ".missing" }));
        Assert.StartsWith($"CertificateFile: '{text}' holds no readable certificate", Problem(new() { CertificateFile = text, KeyFile = key }), StringComparison.Ordinal);
        Assert.StartsWith($"KeyFile: '{text}' holds no readable ECDSA private key", Problem(new() { CertificateFile = certificate, KeyFile = text }), StringComparison.Ordinal);
        Assert.StartsWith($"KeyFile: '{otherKey}' does not match the certificate", Problem(new() { CertificateFile = certificate, KeyFile = otherKey }), StringComparison.Ordinal);
        Assert.StartsWith($"KeyFile: '{certificate}' holds no readable ECDSA private key", Problem(new() { CertificateFile = certificate }), StringComparison.Ordinal);
        Assert.StartsWith($"CertificateFile: '{expiredFile}' expired at ", Problem(new() { CertificateFile = expiredFile }), StringComparison.Ordinal);
        Assert.Equal($"CertificateFile: '{keyless}' has no private key", Problem(new() { CertificateFile = keyless }));
    }

    [Fact]
    public void Settings_without_a_certificate_file_or_a_key_file_beside_a_pfx_are_refused()
    {
        Assert.Equal(["CertificateFile: required when KeyFile or Password is set"], new GatewayTls { KeyFile = "k.pem" }.Problems());
        Assert.Equal(["KeyFile: not used with a PKCS#12 certificate file (its key is inside); remove it"], new GatewayTls { CertificateFile = "a.pfx", KeyFile = "k.pem" }.Problems());
        Assert.Empty(new GatewayTls().Problems());
    }

    private (string Certificate, string Key) WritePem(string name)
    {
        using var certificate = Create(name, Now);
        var certificateFile = Path.Combine(_directory, $"{name}.crt");
        var keyFile = Path.Combine(_directory, $"{name}.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    internal static X509Certificate2 Create(string name, DateTimeOffset now, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), notAfter ?? now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
