using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Hosting;

/// <summary>Loads <see cref="GatewayTls"/>'s files into a certificate with its private key, or says which key is wrong and why.</summary>
internal static class CertificateFiles
{
    public static (X509Certificate2? Certificate, string? Problem) Load(GatewayTls tls, DateTimeOffset now)
    {
        const string Cert = nameof(GatewayTls.CertificateFile);
        const string Key = nameof(GatewayTls.KeyFile);
        if (!File.Exists(tls.CertificateFile))
        {
            return (null, $"{Cert}: '{tls.CertificateFile}' does not exist");
        }

        var keyFile = tls.KeyFile.Length > 0 ? tls.KeyFile : tls.CertificateFile;
        if (!tls.IsPkcs12 && !File.Exists(keyFile))
        {
            return (null, $"{Key}: '{keyFile}' does not exist");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = tls.IsPkcs12
                ? X509CertificateLoader.LoadPkcs12FromFile(tls.CertificateFile, tls.Password.Length > 0 ? tls.Password : null)
                : FirstPemCertificate(tls.CertificateFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{Cert}: '{tls.CertificateFile}' holds no readable {(tls.IsPkcs12 ? "PKCS#12 certificate (or the Password is wrong)" : "certificate")}: {ex.Message}");
        }

        if (!tls.IsPkcs12)
        {
            var (withKey, keyProblem) = WithPemKey(certificate, keyFile, tls.Password);
            certificate.Dispose();
            if (keyProblem is not null)
            {
                return (null, $"{Key}: '{keyFile}' {keyProblem}");
            }

            certificate = withKey!;
        }

        var problem = !certificate.HasPrivateKey ? "has no private key"
            : certificate.NotAfter.ToUniversalTime() < now.UtcDateTime ? $"expired at {certificate.NotAfter.ToUniversalTime():O}"
            : certificate.NotBefore.ToUniversalTime() > now.UtcDateTime ? $"is not valid before {certificate.NotBefore.ToUniversalTime():O}"
            : null;
        if (problem is not null)
        {
            certificate.Dispose();
            return (null, $"{Cert}: '{tls.CertificateFile}' {problem}");
        }

        return (certificate, null);
    }

    /// <summary>The leaf: the first CERTIFICATE block (a key block beside it is read as the key).</summary>
    private static X509Certificate2 FirstPemCertificate(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return collection.Count > 0 ? collection[0] : throw new CryptographicException("no PEM CERTIFICATE block");
    }

    private static (X509Certificate2? Certificate, string? Problem) WithPemKey(X509Certificate2 certificate, string keyFile, string password)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(keyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read: {ex.Message}");
        }

        using AsymmetricAlgorithm? key = certificate.GetKeyAlgorithm() switch
        {
            "1.2.840.10045.2.1" => ECDsa.Create(),
            "1.2.840.113549.1.1.1" => RSA.Create(),
            _ => null,
        };
        if (key is null)
        {
            return (null, $"is for a key type the gateway does not serve ({certificate.GetKeyAlgorithm()}); use RSA or ECDSA");
        }

        try
        {
            if (password.Length > 0)
            {
                key.ImportFromEncryptedPem(pem, password);
            }
            else
            {
                key.ImportFromPem(pem);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return (null, $"holds no readable {(key is RSA ? "RSA" : "ECDSA")} private key: {ex.Message}");
        }

        try
        {
            using var paired = key is RSA rsa ? certificate.CopyWithPrivateKey(rsa) : certificate.CopyWithPrivateKey((ECDsa)key);
            // A PKCS#12 round trip: SslStream needs a key it can use after this method's key object is disposed.
            return (X509CertificateLoader.LoadPkcs12(paired.Export(X509ContentType.Pkcs12), null), null);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return (null, $"does not match the certificate: {ex.Message}");
        }
    }
}
