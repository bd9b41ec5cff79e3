using System.Text.Json.Nodes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Samples.Grpc;

namespace Gateway.IntegrationTests.Grpc;

/// <summary>The real gRPC sample upstream on loopback port 0 (gRPC over h2c and its HTTP/1.1 health port), shared by a class.</summary>
public sealed class GrpcSample : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri GrpcUrl { get; private set; } = null!;

    public Uri HealthUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = GrpcSampleApp.Create(["--GrpcUrls", "http://127.0.0.1:0", "--HealthUrls", "http://127.0.0.1:0"]);
        await _app.StartAsync();
        var endpoints = _app.Services.GetRequiredService<SampleEndpoints>();
        GrpcUrl = endpoints.GrpcUrls.Single();
        HealthUrl = endpoints.HealthUrls.Single();
    }

    /// <summary>A test's own route <c>grpc-test</c> to the sample, HTTP/2 to the upstream (the shipped routes are another helper's).</summary>
    public void AddRoute(JsonObject json)
    {
        json["ReverseProxy"]!["Clusters"]!["grpc-test"] = JsonNode.Parse($$"""
            { "HttpRequest": { "Version": "2.0", "VersionPolicy": "RequestVersionExact" },
              "Destinations": { "d1": { "Address": "{{GrpcUrl}}" } } }
            """);
        json["ReverseProxy"]!["Routes"]!["grpc-test"] = JsonNode.Parse("""
            { "ClusterId": "grpc-test", "Order": -1, "Match": { "Path": "/samples.v1.Sample/{**method}" } }
            """);
    }

    /// <summary>A channel to the sample; h2c, as Grpc.Net.Client does for an http:// address.</summary>
    public GrpcChannel NewChannel() => GrpcChannel.ForAddress(GrpcUrl);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
