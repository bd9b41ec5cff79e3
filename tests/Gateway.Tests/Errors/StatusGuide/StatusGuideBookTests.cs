using System.Globalization;
using Gateway.Errors;
using Gateway.Errors.StatusGuide;

namespace Gateway.Tests.Errors.StatusGuide;

public sealed class StatusGuideBookTests
{
    private static readonly StatusGuideBook Book = new();

    [Fact]
    public void The_codes_are_in_order_once_each_and_found_by_code()
    {
        var codes = Book.Codes.Select(entry => entry.Code).ToArray();

        Assert.NotEmpty(codes);
        Assert.Equal(codes.Order().Distinct(), codes);
        Assert.All(Book.Codes, entry => Assert.Same(entry, Book.ByCode[entry.Code]));
    }

    [Fact]
    public void Each_code_is_filed_under_its_class() =>
        Assert.All(Book.Codes, entry => Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{entry.Code / 100}xx"), entry.StatusClass));

    [Fact]
    public void Each_page_is_written_out() =>
        Assert.All(Book.Codes, entry =>
        {
            Assert.All(
                new[] { entry.Reason, entry.Summary, entry.Meaning, entry.WhoActs, entry.WhatToDo.Client, entry.WhatToDo.Server },
                text => Assert.False(string.IsNullOrWhiteSpace(text), $"{entry.Code} has an empty field"));
            Assert.All(entry.Headers, header => Assert.False(string.IsNullOrWhiteSpace(header.Why), $"{entry.Code}: {header.Name}"));
        });

    [Fact]
    public void Any_code_may_come_from_the_upstream_so_each_page_explains_that() =>
        Assert.All(Book.Codes, entry => Assert.True(entry.Origins.ContainsKey(GatewayOrigin.Upstream.ToLabel()), $"{entry.Code}"));

    [Fact]
    public void Each_explanation_is_for_an_origin_the_gateway_labels()
    {
        var labels = Enum.GetValues<GatewayOrigin>().Select(origin => origin.ToLabel()).ToHashSet(StringComparer.Ordinal);

        Assert.All(Book.Codes, entry => Assert.All(entry.Origins.Keys, origin => Assert.Contains(origin, labels)));
    }

    /// <summary>Kestrel answers these before any gateway step, with an empty body and no origin: their pages must say so.</summary>
    [Fact]
    public void The_codes_kestrel_makes_before_the_gateway_say_so_and_no_other_does()
    {
        var made = Book.Codes.Where(entry => entry.BeforeGateway is not null).Select(entry => entry.Code);

        Assert.Equal([400, 408, 414, 431], made);
        Assert.All(Book.Codes.Where(entry => entry.BeforeGateway is not null), entry =>
        {
            Assert.Contains("Kestrel:Limits", entry.BeforeGateway, StringComparison.Ordinal);
            Assert.Contains("empty body", entry.BeforeGateway, StringComparison.Ordinal);
        });
    }

    /// <summary>Every status the gateway answers itself links to <c>/_gateway/status/{code}?origin=...</c>: that page must explain it.</summary>
    [Theory]
    [InlineData(200, GatewayOrigin.Cache)]
    [InlineData(301, GatewayOrigin.Redirect)]
    [InlineData(304, GatewayOrigin.Cache)]
    [InlineData(302, GatewayOrigin.Redirect)]
    [InlineData(400, GatewayOrigin.Gateway)]
    [InlineData(400, GatewayOrigin.Limits)]
    [InlineData(400, GatewayOrigin.Redirect)]
    [InlineData(401, GatewayOrigin.Auth)]
    [InlineData(403, GatewayOrigin.Auth)]
    [InlineData(404, GatewayOrigin.NoRoute)]
    [InlineData(405, GatewayOrigin.NoRoute)]
    [InlineData(408, GatewayOrigin.Limits)]
    [InlineData(413, GatewayOrigin.Limits)]
    [InlineData(429, GatewayOrigin.RateLimit)]
    [InlineData(429, GatewayOrigin.Admin)] // Too many wrong admin keys from one address.
    [InlineData(500, GatewayOrigin.Gateway)]
    [InlineData(502, GatewayOrigin.Unreachable)]
    [InlineData(502, GatewayOrigin.Gateway)]
    [InlineData(503, GatewayOrigin.Gateway)] // An admin change while the shared store is unreachable.
    [InlineData(503, GatewayOrigin.NoHealthy)]
    [InlineData(503, GatewayOrigin.Maintenance)]
    [InlineData(503, GatewayOrigin.Overload)]
    [InlineData(503, GatewayOrigin.RateLimit)]
    [InlineData(504, GatewayOrigin.Timeout)]
    public void Each_answer_the_gateway_makes_itself_is_explained(int status, GatewayOrigin origin) =>
        Assert.True(Book.ByCode[status].Origins.ContainsKey(origin.ToLabel()), $"{status} has no explanation for origin {origin.ToLabel()}");
}
