namespace Gateway.Hosting;

/// <summary>
/// The <c>Gateway</c> section, bound once (AddGatewayListeners): the listeners' URLs, protocols and certificate, the trusted proxies (read by
/// Clients) and the config file's path (read by Configuration before the host is built, so only checked here).
/// </summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    public GatewayUrls Urls { get; init; } = new();

    public GatewayProtocols Protocols { get; init; } = new();

    public GatewayTls Tls { get; init; } = new();

    public List<string> TrustedProxies { get; init; } = [];

    /// <summary>Read raw (ConfigFileExtensions.ConfigFileKey): Configuration may not depend on Hosting, and it is read before binding.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The native demo and compose: the repository's own secrets may serve (see <see cref="DemoSecrets"/>).</summary>
    public bool DemoMode { get; init; }

    /// <summary>This replica's name in admin answers, the audit and the status page: the host name (a pod's name) unless set.</summary>
    public string Replica { get; init; } = Environment.MachineName;

    /// <summary>The rules of the section; the trusted proxies are Clients' (TrustedProxiesCheck).</summary>
    public IEnumerable<string> Problems()
    {
        var urlProblems = Urls.Problems().ToList();
        foreach (var problem in urlProblems)
        {
            yield return $"{nameof(Urls)}:{problem}";
        }

        if (urlProblems.Count == 0 && Urls.UsesTls && !Tls.IsConfigured && !DemoMode)
        {
            yield return $"{nameof(Tls)}:{nameof(GatewayTls.CertificateFile)}: required for a TLS listener (Urls:{nameof(GatewayUrls.PublicTls)} or an https:// Urls:{nameof(GatewayUrls.Admin)}); demo mode makes a self-signed one";
        }

        foreach (var problem in Tls.Problems())
        {
            yield return $"{nameof(Tls)}:{problem}";
        }
    }
}
