using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Gateway.Hosting;

/// <summary>
/// The certificate the TLS listeners present, chosen per handshake (Kestrel's ServerCertificateSelector), so a rotated
/// file serves new connections without a restart. <see cref="Reload"/> (polled by ServerCertificateWatcher) reads the
/// files again when their bytes or the <c>Gateway:Tls</c> settings changed; a file that cannot serve keeps the last good one.
/// </summary>
public sealed class ServerCertificate(IConfiguration configuration)
{
    // Below the Gateway section (GatewayOptions.Tls, checked there): not a section of its own.
    private const string TlsKey = $"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Tls)}";

    private readonly Lock _lock = new();
    private X509Certificate2? _current;
    private string? _fingerprint;
    private string? _failedFingerprint;
    private (DateTimeOffset At, string Problem)? _failure;

    public X509Certificate2? Current => Volatile.Read(ref _current);

    /// <summary>Made at start in demo mode because no certificate file is configured.</summary>
    public bool IsSelfSigned { get; private set; }

    /// <summary>The last reload that could not serve (it kept the certificate before it), until a good one.</summary>
    public (DateTimeOffset At, string Problem)? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    /// <summary>What changed: nothing, a new certificate, or a new failure (said once per change of the files).</summary>
    public enum Outcome
    {
        Unchanged,
        Loaded,
        Failed,
    }

    public (Outcome Outcome, string? Problem) Reload(DateTimeOffset now)
    {
        var tls = configuration.GetSection(TlsKey).Get<GatewayTls>() ?? new GatewayTls();
        lock (_lock)
        {
            if (!tls.IsConfigured)
            {
                if (_current is null && DemoSecrets.IsDemoMode(configuration))
                {
                    Volatile.Write(ref _current, SelfSignedCertificate.Create(now));
                    IsSelfSigned = true;
                    return (Outcome.Loaded, null);
                }

                return (Outcome.Unchanged, null);
            }

            var fingerprint = Fingerprint(tls);
            if (fingerprint == _fingerprint || fingerprint == _failedFingerprint)
            {
                return (Outcome.Unchanged, null);
            }

            var (certificate, problem) = CertificateFiles.Load(tls, now);
            if (certificate is null)
            {
                _failedFingerprint = fingerprint;
                _failure = (now, $"{TlsKey}:{problem}");
                return (Outcome.Failed, _failure.Value.Problem);
            }

            _fingerprint = fingerprint;
            _failedFingerprint = null;
            _failure = null;
            IsSelfSigned = false;
            Volatile.Write(ref _current, certificate);
            return (Outcome.Loaded, null);
        }
    }

    /// <summary>The settings and the files' bytes (a few KB, read each poll: a rewrite within a timestamp's tick still counts).</summary>
    private static string Fingerprint(GatewayTls tls)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { tls.CertificateFile, tls.KeyFile, tls.Password })
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(part + "\n"));
        }

        foreach (var file in new[] { tls.CertificateFile, tls.KeyFile })
        {
            try
            {
                hash.AppendData(file.Length > 0 && File.Exists(file) ? File.ReadAllBytes(file) : []);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(ex.GetType().Name));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
