using System.Security.Cryptography.X509Certificates;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Hosting;

/// <summary>The served certificate across reloads: a change loads once, a broken change is said once and keeps the last good one.</summary>
public sealed class ServerCertificateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-server-certificate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_change_loads_once_a_broken_change_fails_once_and_keeps_the_last_good_certificate()
    {
        var file = Path.Combine(_directory, "gateway.pem");
        var certificate = new ServerCertificate(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Tls:CertificateFile"] = file }).Build());
        var now = DateTimeOffset.UtcNow;
        var a = Write(file, "a", now);

        Assert.Equal(ServerCertificate.Outcome.Loaded, certificate.Reload(now).Outcome);
        Assert.Equal(ServerCertificate.Outcome.Unchanged, certificate.Reload(now).Outcome);
        Assert.Equal(a, certificate.Current!.Thumbprint);

        File.WriteAllText(file, "broken");
        var (outcome, problem) = certificate.Reload(now);
        Assert.Equal(ServerCertificate.Outcome.Failed, outcome);
        Assert.StartsWith("Gateway:Tls:CertificateFile: ", problem, StringComparison.Ordinal);
        Assert.Equal(ServerCertificate.Outcome.Unchanged, certificate.Reload(now).Outcome); // said once per change
        Assert.Equal(a, certificate.Current!.Thumbprint);
        Assert.NotNull(certificate.Failure);

        var b = Write(file, "b", now);
        Assert.Equal(ServerCertificate.Outcome.Loaded, certificate.Reload(now).Outcome);
        Assert.Equal(b, certificate.Current!.Thumbprint);
        Assert.Null(certificate.Failure);
    }

    [Fact]
    public void Demo_mode_without_a_file_makes_a_self_signed_certificate_for_localhost_once()
    {
        var certificate = new ServerCertificate(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:DemoMode"] = "true" }).Build());

        Assert.Equal(ServerCertificate.Outcome.Loaded, certificate.Reload(DateTimeOffset.UtcNow).Outcome);
        var made = certificate.Current!;
        Assert.Equal(ServerCertificate.Outcome.Unchanged, certificate.Reload(DateTimeOffset.UtcNow).Outcome);

        Assert.True(certificate.IsSelfSigned);
        Assert.Same(made, certificate.Current);
        Assert.True(made.HasPrivateKey);
        Assert.NotNull(made.GetECDsaPublicKey()); // ECDSA P-256
        Assert.Equal(["localhost"], made.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Fact]
    public void Without_demo_mode_or_a_file_there_is_no_certificate()
    {
        var certificate = new ServerCertificate(new ConfigurationBuilder().Build());

        Assert.Equal(ServerCertificate.Outcome.Unchanged, certificate.Reload(DateTimeOffset.UtcNow).Outcome);
        Assert.Null(certificate.Current);
    }

    private static string Write(string file, string name, DateTimeOffset now)
    {
        using var created = CertificateFilesTests.Create(name, now);
        File.WriteAllText(file, created.ExportCertificatePem() + "\n" + created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return created.Thumbprint;
    }
}
