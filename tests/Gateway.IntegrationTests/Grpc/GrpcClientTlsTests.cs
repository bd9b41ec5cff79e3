using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Samples.Grpc;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>
/// The console client over TLS (HTTP/2 by ALPN), against the sample's service behind a self-signed certificate made
/// here: --insecure accepts it; without it the client refuses the certificate and says so.
/// </summary>
public sealed class GrpcClientTlsTests : IAsyncLifetime
{
    private WebApplication? _server;

    private Uri Address => new($"https://localhost:{new Uri(_server!.Urls.Single()).Port}");

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        builder.Services.AddGrpc();
        _server = builder.Build();
        _server.MapGrpcService<SampleService>();
        await _server.StartAsync();
    }

    [Fact]
    public async Task With_insecure_a_self_signed_certificate_is_accepted_and_the_call_goes_over_http_2()
    {
        var run = await GrpcClientProcess.RunAsync(Address, "--insecure", "get", "--id", "3");

        GrpcClientProcess.AssertPrinted(run, 0, "http    HTTP/2 200", "reply   { \"id\": 3,");
    }

    [Fact]
    public async Task Without_insecure_the_certificate_is_refused_as_internal_with_the_tls_cause()
    {
        var run = await GrpcClientProcess.RunAsync(Address, "get", "--id", "3");

        // Grpc.Net.Client reports a failed TLS handshake as INTERNAL ("Error starting gRPC call"), not UNAVAILABLE.
        GrpcClientProcess.AssertPrinted(run, 13,
            "http    no response", "The SSL connection could not be established", "UntrustedRoot");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }
}
