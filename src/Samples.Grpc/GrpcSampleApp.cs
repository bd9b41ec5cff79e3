using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Samples.Grpc;

/// <summary>A gRPC upstream (samples.v1.Sample) whose requests choose deliberate failures, for the gateway's gRPC work.</summary>
public static class GrpcSampleApp
{
    public const string DefaultUrl = "http://127.0.0.1:5004";
    public const string DefaultHealthUrl = "http://127.0.0.1:5005";

    /// <summary>
    /// <c>GrpcUrls</c> (default <see cref="DefaultUrl"/>) are h2c listeners for gRPC; <c>HealthUrls</c> (default
    /// <see cref="DefaultHealthUrl"/>, empty for none) are HTTP/1.1 listeners for a plain <c>GET /healthz</c>.
    /// </summary>
    public static WebApplication Create(string[] args)
    {
        var builder = SampleHost.CreateBuilder(args, DefaultUrl, "grpc-sample");
        var grpcUrls = Split(builder.Configuration["GrpcUrls"] ?? DefaultUrl, "GrpcUrls");
        var healthUrls = Split(builder.Configuration["HealthUrls"] ?? DefaultHealthUrl, "HealthUrls");
        // Kestrel cannot tell h2c prior knowledge from HTTP/1.1 on one cleartext port (Http1AndHttp2 without TLS
        // serves HTTP/1.1 only), and gRPC needs HTTP/2 while curl and Docker health checks speak HTTP/1.1: so two
        // ports, each listener made here with its protocol. SampleHost's default URL and the container images'
        // ASPNETCORE_HTTP_PORTS are cleared, or Kestrel would log that it ignores them (as it does for --urls).
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = "";
        builder.Configuration[WebHostDefaults.HttpPortsKey] = "";
        builder.Configuration[WebHostDefaults.HttpsPortsKey] = "";

        var endpoints = new SampleEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in grpcUrls)
            {
                Listen(kestrel, url, HttpProtocols.Http2, endpoints.AddGrpc);
            }

            foreach (var url in healthUrls)
            {
                Listen(kestrel, url, HttpProtocols.Http1, endpoints.AddHealth);
            }
        });
        builder.Services.AddGrpc();
        // Every deliberate failure would log at Information, a deadline with its stack trace.
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);

        var app = builder.Build();
        app.UseProblemDetailsErrors();
        // On both kinds of port: over h2c for a gateway's active health probe, over HTTP/1.1 for curl and Docker.
        app.MapHealthCheck();
        app.MapGrpcService<SampleService>();
        return app;
    }

    private static List<Uri> Split(string? urls, string key) =>
        [.. (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url =>
            // System.Uri refuses Kestrel's "*" and "+" hosts: they mean every address, as 0.0.0.0 does.
            Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && uri.Scheme == Uri.UriSchemeHttp
                ? uri
                : throw new InvalidOperationException($"{key}: '{url}' is not an http:// URL (the sample listens without TLS)."))];

    private static void Listen(KestrelServerOptions kestrel, Uri url, HttpProtocols protocols, Action<ListenOptions> keep)
    {
        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            keep(listen);
        }

        // As Kestrel reads urls: "localhost" is both loopbacks, 0.0.0.0 (or * or +) every address, IPv6 too.
        if (url.IsLoopback && url.Host is "localhost")
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
        else if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            if (address.Equals(IPAddress.Any))
            {
                kestrel.ListenAnyIP(url.Port, Configure);
            }
            else
            {
                kestrel.Listen(address, url.Port, Configure);
            }
        }
        else
        {
            throw new InvalidOperationException($"'{url}': the host must be localhost, *, + or an IP address.");
        }
    }
}
