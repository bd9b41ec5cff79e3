namespace Gateway.Hosting;

/// <summary>
/// <c>Gateway:Tls</c>: the certificate of the TLS listeners (<c>Gateway:Urls:PublicTls</c>, an https:// admin URL).
/// PEM (<see cref="CertificateFile"/> and <see cref="KeyFile"/>, or both in one file) or PKCS#12 (a .pfx or .p12
/// <see cref="CertificateFile"/>). The files are watched: a changed certificate serves new handshakes without a restart.
/// </summary>
public sealed class GatewayTls
{
    public string CertificateFile { get; init; } = "";

    /// <summary>The PEM private key; empty when it is in <see cref="CertificateFile"/> (PEM) or the file is PKCS#12.</summary>
    public string KeyFile { get; init; } = "";

    /// <summary>The PKCS#12 file's password, or the encrypted PEM key's.</summary>
    public string Password { get; init; } = "";

    public bool IsConfigured => CertificateFile.Length > 0;

    public bool IsPkcs12 => CertificateFile.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase)
        || CertificateFile.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each setting that cannot serve, as "CertificateFile: ..." (the key below <c>Gateway:Tls</c>); loads the files to know.</summary>
    public IEnumerable<string> Problems()
    {
        if (!IsConfigured)
        {
            if (KeyFile.Length > 0 || Password.Length > 0)
            {
                yield return $"{nameof(CertificateFile)}: required when {nameof(KeyFile)} or {nameof(Password)} is set";
            }

            yield break;
        }

        if (IsPkcs12 && KeyFile.Length > 0)
        {
            yield return $"{nameof(KeyFile)}: not used with a PKCS#12 certificate file (its key is inside); remove it";
            yield break;
        }

        if (CertificateFiles.Load(this, DateTimeOffset.UtcNow).Problem is { } problem)
        {
            yield return problem;
        }
    }
}
