using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Hosting;

/// <summary>The listeners' URLs as read from <c>Gateway:Urls</c>, without starting a server.</summary>
public sealed class GatewayListenersTests
{
    [Fact]
    public void Without_settings_the_public_port_is_8080_and_the_admin_port_8081_on_localhost()
    {
        var listeners = Listeners([]);

        Assert.Equal(("http", "localhost", 8080), (listeners.PublicAddress.Scheme, listeners.PublicAddress.Host, listeners.PublicAddress.Port));
        Assert.Equal(("http", "localhost", 8081), (listeners.AdminAddress.Scheme, listeners.AdminAddress.Host, listeners.AdminAddress.Port));
        Assert.Equal(new Uri("http://localhost:8080/"), listeners.PublicUrl);
        Assert.Equal(new Uri("http://localhost:8081/"), listeners.AdminUrl);
    }

    [Fact]
    public void Each_listener_reads_its_own_key()
    {
        var listeners = Listeners(new()
        {
            ["Gateway:Urls:Public"] = "http://0.0.0.0:9080",
            ["Gateway:Urls:Admin"] = "http://127.0.0.1:0",
        });

        Assert.Equal(("0.0.0.0", 9080), (listeners.PublicAddress.Host, listeners.PublicAddress.Port));
        Assert.Equal(new Uri("http://0.0.0.0:9080/"), listeners.PublicUrl);
        Assert.Equal(("127.0.0.1", 0), (listeners.AdminAddress.Host, listeners.AdminAddress.Port));
    }

    [Theory]
    [InlineData("http://localhost:9080")]
    [InlineData("http://*:9080")]
    [InlineData("http://+:9080")]
    [InlineData("http://0.0.0.0:9080")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://[::1]:9080")]
    public void An_http_listener_on_localhost_any_or_an_address_is_accepted(string publicUrl)
    {
        var listeners = Listeners(new() { ["Gateway:Urls:Public"] = publicUrl });

        var error = Record.Exception(() => listeners.Configure(new KestrelServerOptions()));

        Assert.Null(error);
    }

    [Fact]
    public void The_public_tls_listener_is_off_unless_set_and_an_https_admin_url_serves_tls()
    {
        Assert.Null(Listeners([]).PublicTlsAddress);
        Assert.False(Listeners([]).UsesTls);

        var listeners = Listeners(new() { ["Gateway:Urls:PublicTls"] = "https://0.0.0.0:8443", ["Gateway:DemoMode"] = "true" });

        Assert.Equal(("https", 8443), (listeners.PublicTlsAddress!.Scheme, listeners.PublicTlsAddress.Port));
        Assert.Equal(new Uri("https://0.0.0.0:8443/"), listeners.PublicTlsUrl);
        Assert.True(listeners.UsesTls);
        Assert.True(Listeners(new() { ["Gateway:Urls:Admin"] = "https://127.0.0.1:8444", ["Gateway:DemoMode"] = "true" }).UsesTls);
    }

    [Theory]
    [InlineData("Gateway:Urls:Public", "localhost:8080", "Gateway:Urls:Public: 'localhost:8080' is not a URL such as http://0.0.0.0:8080")]
    [InlineData("Gateway:Urls:Admin", "http://gateway.internal:8081", "Gateway:Urls:Admin: 'gateway.internal' is not localhost, an IP address, '*', '+' or 0.0.0.0")]
    [InlineData("Gateway:Urls:Public", "https://127.0.0.1:8443", "Gateway:Urls:Public: 'https://127.0.0.1:8443': the scheme must be http (https is PublicTls)")]
    [InlineData("Gateway:Urls:PublicTls", "http://127.0.0.1:8443", "Gateway:Urls:PublicTls: 'http://127.0.0.1:8443': the scheme must be https")]
    public void A_listener_url_that_cannot_be_bound_is_a_config_error_naming_its_key(string key, string url, string error)
    {
        Assert.Equal([error], Errors(new() { [key] = url }));
        Assert.Null(Record.Exception(() => Listeners(new() { [key] = url }))); // the check says it, at start and on an edit
    }

    [Fact]
    public void A_listener_url_that_cannot_be_bound_still_stops_kestrel_naming_its_key()
    {
        var listeners = Listeners(new() { ["Gateway:Urls:Admin"] = "http://gateway.internal:8081" });

        var error = Assert.Throws<InvalidOperationException>(() => listeners.Configure(new KestrelServerOptions()));
        Assert.StartsWith("Gateway:Urls:Admin: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tls_listener_without_a_certificate_is_a_config_error_outside_demo_mode()
    {
        Assert.Equal(
            ["Gateway:Tls:CertificateFile: required for a TLS listener (Urls:PublicTls or an https:// Urls:Admin); demo mode makes a self-signed one"],
            Errors(new() { ["Gateway:Urls:PublicTls"] = "https://127.0.0.1:8443" }));
        Assert.Empty(Errors(new() { ["Gateway:Urls:PublicTls"] = "https://127.0.0.1:8443", ["Gateway:DemoMode"] = "true" }));
    }

    [Fact]
    public void A_cleartext_protocol_that_is_not_http1_or_http2_is_a_config_error_naming_its_key()
    {
        Assert.Empty(Errors(new() { ["Gateway:Protocols:Public"] = "Http2" }));
        var error = Assert.Single(Errors(new() { ["Gateway:Protocols:Public"] = "Http3" }));
        Assert.StartsWith("Gateway:Protocols:Public: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gateway_section_refuses_a_misspelt_key()
    {
        var errors = Errors(new() { ["Gateway:Urls:Pubic"] = "http://127.0.0.1:8080" });

        Assert.Equal(["Gateway: Gateway:Urls:Pubic: unknown key (misspelt?)"], errors);
    }

    [Fact]
    public void The_gateway_section_as_shipped_is_valid() =>
        Assert.Empty(Errors(new()
        {
            ["Gateway:Urls:Public"] = "http://localhost:8080",
            ["Gateway:Urls:Admin"] = "http://localhost:8081",
            ["Gateway:TrustedProxies:0"] = "10.0.0.0/8",
            ["Gateway:DemoMode"] = "true",
            ["Gateway:Replica"] = "gateway-0",
        }));

    [Fact]
    public void The_gateway_section_refuses_a_value_of_the_wrong_type()
    {
        var error = Assert.Single(Errors(new() { ["Gateway:DemoMode"] = "sometimes" }));
        Assert.StartsWith("Gateway:DemoMode: ", error, StringComparison.Ordinal);
        Assert.Contains("'Gateway:DemoMode'", error, StringComparison.Ordinal);
    }

    private static GatewayListeners Listeners(Dictionary<string, string?> data) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(data).Build());

    private static List<string> Errors(Dictionary<string, string?> data)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(data);
        builder.AddGatewayListeners();
        using var provider = builder.Services.BuildServiceProvider();
        var errors = new List<string>();
        foreach (var check in provider.GetServices<IConfigCheck>())
        {
            check.Check(builder.Configuration, errors);
        }

        return errors;
    }
}
